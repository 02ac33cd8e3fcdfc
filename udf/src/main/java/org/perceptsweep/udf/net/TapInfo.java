package org.perceptsweep.udf.net;

/** One tap of a net: the name the card gives it and its channel count. */
public record TapInfo(String name, int channels) {}

package org.perceptsweep.core.stats.findings;

import org.perceptsweep.core.Learning;

/**
 * A row of the nets table as the findings use it.
 *
 * @param classic a classic metric (PSNR, SSIM, ...), not a net
 * @param learning null when unknown (the card's goal said nothing and nobody set it)
 * @param depth weight layers, null when unknown
 * @param tapCount the net's real taps (tap indices 1..tapCount)
 */
public record FindingNet(String name, boolean classic, String architecture, String goal, String trainingData,
    Learning learning, Integer depth, int tapCount) implements java.io.Serializable {}

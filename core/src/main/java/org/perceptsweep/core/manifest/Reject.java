package org.perceptsweep.core.manifest;

/**
 * A row or pair that could not be used, and why. Rejects are kept in their own table so that
 * every input row is accounted for.
 *
 * @param where the file and line, or the pair id, that was rejected
 * @param stage the step that rejected it (manifest, extract, ...)
 */
public record Reject(String dataset, String where, String stage, String reason) {}

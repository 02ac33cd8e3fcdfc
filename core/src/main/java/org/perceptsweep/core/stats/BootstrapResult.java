package org.perceptsweep.core.stats;

/**
 * Reference-bootstrap intervals of one cell.
 *
 * @param n pairs in the cell
 * @param references distinct reference images in the cell
 * @param seed the seed the resamples were drawn with
 * @param srocc Spearman correlation and its interval
 * @param plcc Pearson correlation of the raw metric values and its interval (no logistic mapping
 *     inside the resamples: refitting 5 parameters 1000 times per cell is not affordable)
 */
public record BootstrapResult(
    int n, int references, long seed, BootstrapInterval srocc, BootstrapInterval plcc) {}

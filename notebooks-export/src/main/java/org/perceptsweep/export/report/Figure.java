package org.perceptsweep.export.report;

import java.nio.file.Path;

/** A written chart: the same drawing as PNG and SVG, {@code width} x {@code height} pixels. */
public record Figure(String id, String title, String caption, Path png, Path svg, int width, int height) {}

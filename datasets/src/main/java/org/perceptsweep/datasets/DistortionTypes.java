package org.perceptsweep.datasets;

import java.util.List;

/**
 * Human-readable names (lower case, words joined by underscores, like the synthetic set's) of the
 * numbered distortion types of TID2008/TID2013 and KADID-10k, in the order of their type numbers
 * (the {@code YY} of {@code iXX_YY_Z.bmp} / {@code IXX_YY_ZZ.png}). From the datasets' own
 * descriptions (Ponomarenko et al. 2015, Table 1; Lin, Hosu and Saupe 2019, Table 1).
 */
public final class DistortionTypes {
  private DistortionTypes() {}

  /** TID2013's 24 types; TID2008 has the first 17. */
  public static final List<String> TID2013 = List.of(
      "additive_gaussian_noise",             // 1
      "additive_noise_in_colour_components", // 2: stronger in colour than in luminance
      "spatially_correlated_noise",          // 3
      "masked_noise",                        // 4
      "high_frequency_noise",                // 5
      "impulse_noise",                       // 6
      "quantisation_noise",                  // 7
      "gaussian_blur",                       // 8
      "image_denoising",                     // 9
      "jpeg_compression",                    // 10
      "jpeg2000_compression",                // 11
      "jpeg_transmission_errors",            // 12
      "jpeg2000_transmission_errors",        // 13
      "non_eccentricity_pattern_noise",      // 14
      "local_block_wise_distortions",        // 15: blocks of different intensity
      "mean_shift",                          // 16: intensity shift
      "contrast_change",                     // 17
      "colour_saturation_change",            // 18
      "multiplicative_gaussian_noise",       // 19
      "comfort_noise",                       // 20
      "lossy_compression_of_noisy_images",   // 21
      "colour_quantisation_with_dither",     // 22
      "chromatic_aberrations",               // 23
      "sparse_sampling_and_reconstruction"); // 24

  public static final List<String> TID2008 = TID2013.subList(0, 17);

  /** KADID-10k's 25 types. */
  public static final List<String> KADID10K = List.of(
      "gaussian_blur",                   // 1
      "lens_blur",                       // 2
      "motion_blur",                     // 3
      "colour_diffusion",                // 4
      "colour_shift",                    // 5
      "colour_quantisation",             // 6
      "colour_saturation_hsv",           // 7: saturation change in HSV
      "colour_saturation_lab",           // 8: saturation change in CIELAB
      "jpeg2000",                        // 9
      "jpeg",                            // 10
      "white_noise",                     // 11
      "white_noise_in_colour_component", // 12: in YCbCr
      "impulse_noise",                   // 13
      "multiplicative_noise",            // 14
      "denoise",                         // 15
      "brighten",                        // 16
      "darken",                          // 17
      "mean_shift",                      // 18
      "jitter",                          // 19
      "non_eccentricity_patch",          // 20
      "pixelate",                        // 21
      "quantisation",                    // 22
      "colour_block",                    // 23
      "high_sharpen",                    // 24
      "contrast_change");                // 25
}

package org.perceptsweep.datasets;

import java.util.List;

/**
 * Which CSV columns hold what, for {@link CsvPairsAdapter}. A null name means "find it by its usual
 * names" (matched case-insensitively, surrounding blanks ignored):
 *
 * <table>
 *   <caption>Column names looked for when none is given</caption>
 *   <tr><th>field</th><th>names tried, in order</th><th>required</th></tr>
 *   <tr><td>dist</td><td>dist, dist_path, dist_img, dis_img_path, distorted</td><td>yes</td></tr>
 *   <tr><td>ref</td><td>ref, ref_path, ref_img, ref_img_path, reference</td><td>yes</td></tr>
 *   <tr><td>score</td><td>score, mos, dmos</td><td>yes</td></tr>
 *   <tr><td>distortion</td><td>distortion, dis_type, dist_type</td><td>no</td></tr>
 *   <tr><td>level</td><td>level</td><td>no</td></tr>
 *   <tr><td>score_std</td><td>score_std, mos_std, dmos_std, std</td><td>no</td></tr>
 * </table>
 *
 * A name that is given must exist in the header (it is never silently replaced by a default).
 */
public record CsvColumns(
    String dist, String ref, String score, String distortion, String level, String scoreStd) {

  static final List<String> DIST_NAMES = List.of("dist", "dist_path", "dist_img", "dis_img_path", "distorted");
  static final List<String> REF_NAMES = List.of("ref", "ref_path", "ref_img", "ref_img_path", "reference");
  static final List<String> SCORE_NAMES = List.of("score", "mos", "dmos");
  static final List<String> DISTORTION_NAMES = List.of("distortion", "dis_type", "dist_type");
  static final List<String> LEVEL_NAMES = List.of("level");
  static final List<String> SCORE_STD_NAMES = List.of("score_std", "mos_std", "dmos_std", "std");

  /** Every column found by its usual names. */
  public static CsvColumns auto() {
    return new CsvColumns(null, null, null, null, null, null);
  }

  public CsvColumns withDist(String name) {
    return new CsvColumns(name, ref, score, distortion, level, scoreStd);
  }

  public CsvColumns withRef(String name) {
    return new CsvColumns(dist, name, score, distortion, level, scoreStd);
  }

  public CsvColumns withScore(String name) {
    return new CsvColumns(dist, ref, name, distortion, level, scoreStd);
  }

  public CsvColumns withDistortion(String name) {
    return new CsvColumns(dist, ref, score, name, level, scoreStd);
  }

  public CsvColumns withLevel(String name) {
    return new CsvColumns(dist, ref, score, distortion, name, scoreStd);
  }

  public CsvColumns withScoreStd(String name) {
    return new CsvColumns(dist, ref, score, distortion, level, name);
  }
}

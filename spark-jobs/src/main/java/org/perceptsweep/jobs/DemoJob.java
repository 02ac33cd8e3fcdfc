package org.perceptsweep.jobs;

import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.jobs.aggregate.AggregateJob;
import org.perceptsweep.jobs.aggregate.CorrelationReport;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.manifest.ManifestJob;
import org.perceptsweep.jobs.tables.OutputLayout;
import org.perceptsweep.jobs.tables.ReportJob;

/**
 * The embedded default, end to end with no downloads: the built-in synthetic dataset, the built-in
 * untrained net and the classic metrics, through manifest, extract and aggregate.
 */
public final class DemoJob {
  public static final List<String> DEFAULT_NETS =
      List.of("psnr", "ssim", "ms_ssim", "pixels", "builtin:random-convnet");
  public static final String DEFAULT_READOUTS = "l2,unit_l2";

  private DemoJob() {}

  public static void run(SparkSession spark, OutputLayout out, long seed, List<String> nets, String readouts,
      PrintStream console) {
    long t0 = System.nanoTime();
    ManifestJob.Summary m = ManifestJob.run(spark, out, ManifestJob.Request.synthetic(seed));
    console.printf("manifest: %d pairs over %d references of dataset '%s' (%d rejected)%n",
        m.pairs(), m.references(), m.dataset(), m.rejects().size());
    ExtractJob.Summary e = ExtractJob.run(spark, out, nets, readouts, null,
        org.perceptsweep.udf.net.NetSession.AUTO_BATCH, List.of());
    console.printf("extract: %d distance rows, %d rejected, %d forward passes (nets: %s)%n",
        e.distanceRows(), e.rejectedRows(), e.forwardPasses(), String.join(", ", e.nets()));
    AggregateJob.Summary a = AggregateJob.run(spark, out, List.of());
    console.printf("aggregate: %d correlation cells%n", a.cells());
    console.print(CorrelationReport.render(spark, out));
    console.print(org.perceptsweep.jobs.aggregate.FindingsReport.render(spark, out, List.of()));
    console.printf("%nThe synthetic set has no human scores: its score is the distortion level (higher = worse).%n"
        + "Tables (Parquet) are under %s; export one with 'percept-sweep export correlations --out %s --to FILE.csv'.%n"
        + "Done in %.1f s.%n", out.root(), out.root(), (System.nanoTime() - t0) / 1e9);
    String report = new org.apache.hadoop.fs.Path(out.root(), "report").toString();
    ReportJob.run(spark, out, report, List.of(), List.of());
    console.printf("Report: %s/index.html (notebook: %s/report.ipynb)%n", report, report);
  }
}

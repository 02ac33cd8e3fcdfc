package org.perceptsweep.jobs;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.perceptsweep.jobs.aggregate.AggregateJob;
import org.perceptsweep.jobs.aggregate.CorrelationReport;
import org.perceptsweep.jobs.extract.ExtractJob;
import org.perceptsweep.jobs.manifest.ManifestJob;
import org.perceptsweep.jobs.progress.ConsoleProgress;
import org.perceptsweep.jobs.progress.RowsWritten;
import org.perceptsweep.jobs.progress.StageSummary;
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

  /**
   * @param console the results (stdout)
   * @param progress the progress shown meanwhile; results are printed through it, out of the bar's way
   */
  public static void run(SparkSession spark, OutputLayout out, long seed, List<String> nets, String readouts,
      PrintStream console, ConsoleProgress progress) {
    long t0 = System.nanoTime();
    StageSummary stages = new StageSummary(progress);
    StageSummary.Timer t = stages.time("manifest", "synthetic (seed " + seed + ")");
    ManifestJob.Summary m = ManifestJob.run(spark, out, ManifestJob.Request.synthetic(seed));
    t.done(String.format(Locale.ROOT, "%d pairs over %d references, %d rejects", m.pairs(), m.references(),
        m.rejects().size()));
    t = stages.time("extract", m.dataset() + ": " + nets.size() + " nets");
    ExtractJob.Summary e = ExtractJob.run(spark, out, nets, readouts, null,
        org.perceptsweep.udf.net.NetSession.AUTO_BATCH, List.of());
    t.done(RowsWritten.extract(spark, out, List.of(m.dataset()), e) + ", " + e.forwardPasses() + " forward passes");
    t = stages.time("aggregate", m.dataset());
    AggregateJob.Summary a = AggregateJob.run(spark, out, List.of());
    t.done(RowsWritten.aggregate(a));
    String table = CorrelationReport.render(spark, out)
        + org.perceptsweep.jobs.aggregate.FindingsReport.render(spark, out, List.of());
    String report = new org.apache.hadoop.fs.Path(out.root(), "report").toString();
    t = stages.time("report", report);
    ReportJob.run(spark, out, report, List.of(), List.of());
    t.done("index.html, report.ipynb, tables, figures");
    progress.print(console, table + String.format(Locale.ROOT, "%nThe synthetic set has no human scores: its score "
        + "is the distortion level (higher = worse).%nTables (Parquet) are under %s; export one with "
        + "'percept-sweep export correlations --out %s --to FILE.csv'.%n%n%s%nDone in %s. Report: %s/index.html "
        + "(notebook: %s/report.ipynb)%n", out.root(), out.root(), stages.render(),
        org.perceptsweep.jobs.progress.ProgressText.duration((System.nanoTime() - t0) / 1e9), report, report));
  }
}

package org.perceptsweep.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;

/**
 * A real S3-compatible server on loopback for tests: s3proxy ({@code org.gaul:s3proxy}, the runnable
 * jar the build copies to {@code target/test-tools/s3proxy.jar}) as a separate {@code java -jar}
 * process with a filesystem backend in a folder of its own. A bucket is a folder under that backend.
 *
 * <p>The access and secret keys are random per server and are never printed: {@link #toString()} and
 * the process log show the endpoint only. {@link #close()} stops the process and deletes its folder.
 */
public final class S3Server implements AutoCloseable {
  /** System property (set by spark-jobs/pom.xml) naming the s3proxy jar. */
  public static final String JAR_PROPERTY = "perceptsweep.s3proxy.jar";
  public static final String REGION = "us-east-1";

  private final Path dir;
  private final Path backend;
  private final Path log;
  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final Process process;

  private S3Server(Path dir, Path backend, Path log, int port, String accessKey, String secretKey, Process process) {
    this.dir = dir;
    this.backend = backend;
    this.log = log;
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.process = process;
  }

  /** Starts a server in a fresh temporary folder and waits (at most 60 s) until it answers HTTP. */
  public static S3Server start() {
    Path jar = ClusterFiles.testTool(JAR_PROPERTY, "s3proxy.jar");
    try {
      Path dir = Files.createTempDirectory("perceptsweep-s3-");
      Path backend = Files.createDirectories(dir.resolve("data"));
      Path log = dir.resolve("s3proxy.log");
      int port = ClusterFiles.freePort();
      String accessKey = "AK" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
      String secretKey = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().substring(0, 8);
      Path props = dir.resolve("s3proxy.properties");
      Files.writeString(props, String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + accessKey,
          "s3proxy.credential=" + secretKey,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + backend,
          ""), StandardCharsets.UTF_8);
      ProcessBuilder pb = new ProcessBuilder(ClusterFiles.javaExecutable(), "-Xmx256m", "-jar", jar.toString(),
          "--properties", props.toString())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      Process process = pb.start();
      S3Server server = new S3Server(dir, backend, log, port, accessKey, secretKey, process);
      ClusterFiles.stopOnExit(process);
      server.awaitReady(60_000);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start s3proxy from " + jar, e);
    }
  }

  private void awaitReady(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        String tail = ClusterFiles.tail(log, 2000);
        close();
        throw new IllegalStateException("s3proxy exited with code " + process.exitValue() + "; log:\n" + tail);
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        // Any HTTP status (an anonymous request gets 403) means the server is up.
        if (c.getResponseCode() > 0) {
          c.disconnect();
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      ClusterFiles.sleep(100);
    }
    String tail = ClusterFiles.tail(log, 2000);
    close();
    throw new IllegalStateException("s3proxy did not answer on " + endpoint() + " within " + timeoutMs + " ms; log:\n" + tail);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Makes a bucket (a folder of the filesystem backend); returns its {@code s3a://NAME} URI. */
  public String createBucket(String name) {
    try {
      Files.createDirectories(backend.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "s3a://" + name;
  }

  /** The backend folder that holds a bucket's objects (an object key is a path under it). */
  public Path bucketFolder(String name) {
    return backend.resolve(name);
  }

  /** The s3a settings for this server, as Hadoop configuration keys. */
  public Map<String, String> hadoopSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("fs.s3a.endpoint", endpoint());
    m.put("fs.s3a.endpoint.region", REGION);
    m.put("fs.s3a.path.style.access", "true");
    m.put("fs.s3a.connection.ssl.enabled", "false");
    m.put("fs.s3a.access.key", accessKey);
    m.put("fs.s3a.secret.key", secretKey);
    // Only these static keys, never the machine's own AWS profile or instance role.
    m.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    return m;
  }

  /** The same settings as Spark configuration keys ({@code spark.hadoop.} prefix). */
  public Map<String, String> sparkSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    hadoopSettings().forEach((k, v) -> m.put("spark.hadoop." + k, v));
    return m;
  }

  /** Sets this server's s3a settings on a Hadoop configuration (and drops cached s3a clients' keys). */
  public void configure(Configuration conf) {
    hadoopSettings().forEach(conf::set);
  }

  /** Removes this server's s3a settings from a Hadoop configuration again. */
  public void unconfigure(Configuration conf) {
    hadoopSettings().keySet().forEach(conf::unset);
  }

  /** For tests that check that logs never contain the secret. */
  public String secretKeyForLeakChecks() {
    return secretKey;
  }

  public Path log() {
    return log;
  }

  @Override
  public String toString() {
    return "S3Server[" + endpoint() + "]";
  }

  @Override
  public void close() {
    ClusterFiles.stop(process);
    ClusterFiles.deleteRecursively(dir);
  }
}

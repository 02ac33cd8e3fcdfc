package org.perceptsweep.jobs.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;
import org.perceptsweep.core.util.Hashing;

/** Small FileSystem helpers for the driver: existence, content hashes, removal. */
public final class FileHashes {
  private FileHashes() {}

  public static boolean exists(String uri, Configuration conf) {
    try {
      Path p = new Path(uri);
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      throw new UserInputException("cannot reach " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a table folder holds any Parquet data file. A table whose cells were all removed (an
   * extract rerun without the option that writes it) keeps its folder with none, and Spark can
   * then only say "unable to infer schema"; false also when the folder does not exist.
   */
  public static boolean hasDataFiles(String table, Configuration conf) {
    Path root = new Path(table);
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        return false;
      }
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(root, true);
      while (files.hasNext()) {
        if (files.next().getPath().getName().endsWith(".parquet")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UserInputException("cannot list table " + table + ": " + e.getMessage(), e);
    }
  }

  public static String sha256(String uri, Configuration conf) {
    Path p = new Path(uri);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return Hashing.sha256Hex(in);
    } catch (java.io.FileNotFoundException e) {
      throw new UserInputException("missing file " + uri + ": check the path", e);
    } catch (IOException e) {
      throw new UserInputException("cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  public static void deleteRecursively(String uri, Configuration conf) {
    try {
      Path p = new Path(uri);
      FileSystem fs = p.getFileSystem(conf);
      if (fs.exists(p)) {
        fs.delete(p, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

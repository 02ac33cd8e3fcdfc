package org.perceptsweep.datasets;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.perceptsweep.core.UserInputException;

/**
 * The few file operations the adapters need, all through the Hadoop FileSystem API so that
 * {@code file:}, {@code s3a:} and {@code hdfs:} locations behave the same.
 */
final class HadoopFiles {
  private HadoopFiles() {}

  static FileSystem fileSystem(Path path, Configuration conf) {
    try {
      return path.getFileSystem(conf);
    } catch (IOException e) {
      throw new UserInputException("cannot open the file system of " + path + ": " + e.getMessage()
          + " (check the URI scheme and the file system settings)", e);
    }
  }

  /** The fully qualified form of a path ({@code file:/abs/x.png}, {@code s3a://bucket/x.png}). */
  static Path qualify(Path path, Configuration conf) {
    return fileSystem(path, conf).makeQualified(path);
  }

  static Path qualify(String uri, Configuration conf) {
    return qualify(new Path(uri), conf);
  }

  /** Whole file as bytes; a missing file is a user error naming {@code what} it was meant to be. */
  static byte[] readAll(Path path, String what, Configuration conf) {
    FileSystem fs = fileSystem(path, conf);
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    } catch (FileNotFoundException e) {
      throw new UserInputException(what + " " + path + " not found: check the path or URI");
    } catch (IOException e) {
      throw new UserInputException("cannot read " + what + " " + path + ": " + e.getMessage(), e);
    }
  }

  static boolean exists(Path path, Configuration conf) {
    try {
      return fileSystem(path, conf).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path, e);
    }
  }

  static boolean isDirectory(Path path, Configuration conf) {
    try {
      return fileSystem(path, conf).getFileStatus(path).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path, e);
    }
  }

  /** Plain files directly inside a folder (not recursive), qualified, in listing order. */
  static List<Path> listFiles(Path dir, String what, Configuration conf) {
    FileSystem fs = fileSystem(dir, conf);
    try {
      List<Path> out = new ArrayList<>();
      for (FileStatus st : fs.listStatus(dir)) {
        if (st.isFile()) {
          out.add(fs.makeQualified(st.getPath()));
        }
      }
      return out;
    } catch (FileNotFoundException e) {
      throw new UserInputException(what + " " + dir + " not found: check the dataset root");
    } catch (IOException e) {
      throw new UserInputException("cannot list " + what + " " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes (replacing) one file; the bytes are made in memory first so no half file is left by a failed encode. */
  static void writeAll(Path path, byte[] bytes, Configuration conf) {
    FileSystem fs = fileSystem(path, conf);
    try (OutputStream out = fs.create(path, true)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UserInputException("cannot write " + path + ": " + e.getMessage()
          + " (check that the output folder is writable)", e);
    }
  }

  static String scheme(Path p) {
    URI u = p.toUri();
    return u.getScheme();
  }
}

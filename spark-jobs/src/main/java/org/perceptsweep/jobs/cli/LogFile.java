package org.perceptsweep.jobs.cli;

import java.nio.file.Path;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.perceptsweep.core.UserInputException;

/**
 * {@code --log-file FILE}: every log event at INFO and above (Spark's own included, none filtered)
 * also goes to FILE, while the console keeps its level and filters (conf/log4j2.properties).
 */
final class LogFile {
  static final String APPENDER = "perceptsweep-log-file";

  private LogFile() {}

  static void attach(Path file) {
    if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      throw new UserInputException("--log-file " + file + ": the logging backend is not Log4j 2 (Spark's); "
          + "configure your backend to write a file instead");
    }
    Configuration config = ctx.getConfiguration();
    FileAppender appender = FileAppender.newBuilder()
        .setName(APPENDER)
        .withFileName(file.toAbsolutePath().toString())
        .withAppend(true)
        .setLayout(PatternLayout.newBuilder().withConfiguration(config)
            .withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %p [%t] %c: %m%n").build())
        .setConfiguration(config)
        .build();
    if (appender == null) {
      throw new UserInputException("--log-file " + file + ": cannot write there; give a writable file path");
    }
    appender.start();
    config.addAppender(appender);
    LoggerConfig root = config.getRootLogger();
    // The root's appenders keep the root's level (the console's WARN); the root itself lets INFO through for the file.
    Level consoleLevel = root.getLevel();
    for (Map.Entry<String, Appender> e : Map.copyOf(root.getAppenders()).entrySet()) {
      root.removeAppender(e.getKey());
      root.addAppender(e.getValue(), consoleLevel, null);
    }
    if (root.getLevel().isMoreSpecificThan(Level.INFO)) {
      root.setLevel(Level.INFO);
    }
    root.addAppender(appender, Level.INFO, null);
    ctx.updateLoggers();
  }
}

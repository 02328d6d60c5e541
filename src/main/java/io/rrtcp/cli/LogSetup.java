package io.rrtcp.cli;

import io.rrtcp.config.LogsConfig;
import io.rrtcp.log.Log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Applies the {@code logs} section to {@link Log}: level, line format and where lines go, and per channel. */
final class LogSetup {
    private LogSetup() {
    }

    /**
     * @param workdir relative log file paths start here
     * @param debug   {@code --debug}: level debug whatever the config says
     * @throws IOException when a log file cannot be opened
     */
    static void apply(LogsConfig logs, Path workdir, boolean debug) throws IOException {
        Log.Channel root = channel(logs, workdir, debug);
        Log.setLevel(root.threshold());
        Log.setFormat(root.format());
        Log.setOutput(root.out());
        Map<String, Log.Channel> channels = new HashMap<>();
        for (Map.Entry<String, LogsConfig> c : logs.channels().entrySet()) {
            channels.put(c.getKey(), channel(c.getValue(), workdir, debug));
        }
        Log.setChannels(channels);
    }

    /** The level, format and output one set of logs settings asks for. */
    private static Log.Channel channel(LogsConfig logs, Path workdir, boolean debug) throws IOException {
        Log.Level level = logs.mode().equals("off") ? Log.Level.OFF
                : Log.Level.valueOf(logs.level().toUpperCase(Locale.ROOT));
        Log.Format format = logs.mode().equals("raw") ? Log.Format.RAW : logs.json() ? Log.Format.JSON : Log.Format.CONSOLE;
        return new Log.Channel(debug ? Log.Level.DEBUG : level, format, output(logs.output(), workdir));
    }

    private static PrintStream output(List<String> outputs, Path workdir) throws IOException {
        List<OutputStream> outs = new ArrayList<>();
        for (String output : outputs) {
            switch (output) {
                case "stderr" -> outs.add(System.err);
                case "stdout" -> outs.add(System.out);
                default -> {
                    Path file = workdir.resolve(output);
                    try {
                        outs.add(new FileOutputStream(file.toFile(), true));
                    } catch (IOException e) {
                        throw new IOException("logs.output: cannot open " + file + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        if (outs.size() == 1 && outs.getFirst() instanceof PrintStream single) {
            return single;
        }
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                for (OutputStream o : outs) {
                    o.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (OutputStream o : outs) {
                    o.write(b, off, len);
                }
            }

            @Override
            public void flush() throws IOException {
                for (OutputStream o : outs) {
                    o.flush();
                }
            }
        }, true, StandardCharsets.UTF_8);
    }
}

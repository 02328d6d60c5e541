package io.rrtcp.cli;

import io.rrtcp.config.ConfigLoader;
import io.rrtcp.config.ConfigOptions;
import io.rrtcp.config.RrConfig;
import io.rrtcp.rpc.RpcClient;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Where the CLI's RPC commands connect: {@code --rpc}, else {@code rpc.listen} of the config ({@code -c}, with
 * {@code -o} and {@code --dotenv}), else — when no config file exists and none was named — upstream's default
 * address.
 */
final class RpcTarget {
    static final String DEFAULT = "tcp://127.0.0.1:6001";

    /** Why no address could be found; the CLI prints the message and exits 2. */
    static final class NoAddress extends Exception {
        NoAddress(String message) {
            super(message);
        }
    }

    private RpcTarget() {
    }

    static String address(Main main, CommandSpec spec) throws NoAddress {
        if (main.rpc != null) {
            return main.rpc;
        }
        boolean named = spec.commandLine().getParseResult().hasMatchedOption("--config")
                || spec.root().commandLine().getParseResult().hasMatchedOption("--config");
        if (!named && !Files.exists(main.configFile())) {
            return DEFAULT;
        }
        RrConfig config;
        try {
            config = ConfigLoader.load(main.configFile(), ConfigOptions.of(main.overrides, main.dotenv));
        } catch (RuntimeException e) {
            throw new NoAddress(e.getMessage());
        }
        return config.rpc().orElseThrow(() -> new NoAddress(config.file()
                + ": rpc service not specified in the configuration. Tip: add\n rpc:\n   listen: " + DEFAULT))
                .listen();
    }

    /** Connects to the running server. */
    static RpcClient connect(Main main, CommandSpec spec) throws CliFailure {
        String dsn;
        try {
            dsn = address(main, spec);
        } catch (NoAddress e) {
            throw new CliFailure(2, "error: " + e.getMessage());
        }
        try {
            return RpcClient.connect(dsn);
        } catch (IOException e) {
            throw new CliFailure(1, e.getMessage());
        }
    }
}

package io.rrtcp.cli;

import io.rrtcp.config.ConfigException;
import io.rrtcp.config.ConfigLoader;
import io.rrtcp.config.ConfigOptions;
import io.rrtcp.config.RelayConfig;
import io.rrtcp.config.RrConfig;
import io.rrtcp.log.Log;
import io.rrtcp.server.Carriers;
import io.rrtcp.server.RrTcpServer;
import io.rrtcp.worker.PipeChannels;
import io.rrtcp.worker.WorkerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code rr-tcp serve}: runs the server until a stop signal (see {@link Signals}), then stops in order and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the workers and the TCP servers of the config; stop on SIGINT/SIGTERM/SIGHUP/SIGABRT,"
                + " reset the workers on SIGUSR2.")
public final class ServeCommand implements Callable<Integer> {
    private static final Log LOG = Log.get("rr-tcp");

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (main.debug) {
            Log.setLevel(Log.Level.DEBUG);
        }
        RrConfig config;
        try {
            config = ConfigLoader.load(main.configFile(), ConfigOptions.of(main.overrides, main.dotenv));
        } catch (ConfigException e) {
            return fail(2, e);
        }
        try {
            LogSetup.apply(config.logs(), main.workingDirectory(), main.debug);
        } catch (IOException e) {
            return fail(2, e);
        }
        config.warnings().forEach(w -> LOG.warn(w));
        Signals signals = Signals.install();
        RrTcpServer server;
        try {
            server = RrTcpServer.start(config, main.workingDirectory());
        } catch (WorkerException | IOException e) {
            return fail(1, e);
        } catch (ConfigException e) {
            return fail(2, e); // files the config names (TLS certificates) are read at start
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ServeCommand::killChildren, "kill-workers"));
        LOG.info("rr-tcp started", "version", VersionProvider.version(), "config", config.file(),
                "servers", server.addresses().size(), "workers", server.pool().workers().size(),
                "rpc", server.rpcAddress().map(Object::toString).orElse("off"), "carriers", Carriers.configured(),
                "pipes", config.server().relay().type() == RelayConfig.Type.PIPES ? PipeChannels.mode() : "unused");
        signals.started(server.pool());
        signals.awaitStop();
        server.close();
        LOG.info("rr-tcp stopped");
        return 0;
    }

    private int fail(int code, Exception e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        if (main.debug) {
            e.printStackTrace(spec.commandLine().getErr());
        }
        return code;
    }

    /** Last resort when the JVM exits some other way: no worker may outlive the server. */
    private static void killChildren() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }
}

package io.rrtcp.cli;

import io.rrtcp.server.Carriers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code rr-tcp} command: global options shared by every subcommand, and the subcommands. */
@Command(name = "rr-tcp", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {ServeCommand.class, WorkersCommand.class, ResetCommand.class, ConnectionsCommand.class,
                CommandLine.HelpCommand.class},
        description = "RoadRunner-compatible TCP application server for PHP workers.")
public final class Main implements Runnable {
    @Option(names = {"-c", "--config"}, scope = ScopeType.INHERIT, defaultValue = ".rr.yaml", paramLabel = "FILE",
            description = "Config file (default: ${DEFAULT-VALUE}); workers run in its folder unless -w is given.")
    Path config;

    @Option(names = {"-w", "--workdir"}, scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Working directory: relative paths (the config file, worker scripts) start here.")
    Path workdir;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Debug log lines, and stack traces with errors.")
    boolean debug;

    @Option(names = {"-o", "--override"}, scope = ScopeType.INHERIT, paramLabel = "KEY.PATH=VALUE",
            description = "Override a config value, e.g. -o tcp.pool.num_workers=4 (repeatable; env-expanded).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--dotenv", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Load environment variables from FILE before reading the config (never overrides set ones;"
                    + " DOTENV_PATH, when set, wins).")
    Path dotenv;

    @Option(names = "--rpc", scope = ScopeType.INHERIT, paramLabel = "ADDR",
            description = "RPC address of a running rr-tcp (tcp://host:port or unix:///path); default: rpc.listen of"
                    + " the config.")
    String rpc;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The config file, relative to {@code -w} when that is given. */
    Path configFile() {
        Path base = workdir != null ? workdir : Path.of("");
        return base.resolve(config).toAbsolutePath().normalize();
    }

    /** Where workers run: {@code -w}, else the config file's folder (as the rr CLI does). */
    Path workingDirectory() {
        return workdir != null ? workdir.toAbsolutePath().normalize() : configFile().getParent();
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Main main = commandLine.getCommandSpec().root().userObject() instanceof Main m ? m : null;
            commandLine.getErr().println("error: " + e.getMessage());
            if (main != null && main.debug) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    public static void main(String[] args) {
        Carriers.applyDefault(); // before any virtual thread starts
        System.exit(commandLine().execute(args));
    }
}

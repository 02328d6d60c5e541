package io.rrtcp.cli;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import io.rrtcp.rpc.RpcClient;
import io.rrtcp.rpc.RpcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code rr-tcp workers [-i] [plugin...]}: the workers of a running server, one table per plugin, like {@code rr workers}. */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = "Show the workers of a running rr-tcp (over RPC), one table per plugin.")
public final class WorkersCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--interactive"}, description = "Redraw the tables every second until Ctrl-C.")
    boolean interactive;

    @Parameters(paramLabel = "PLUGIN", arity = "0..*", description = "Plugins to show (default: every plugin with workers).")
    List<String> plugins = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (RpcClient rpc = RpcTarget.connect(main, spec)) {
            do {
                String tables = render(rpc);
                if (interactive) {
                    out.print("\033[H\033[2J");
                }
                out.print(tables);
                out.flush();
                if (interactive) {
                    Thread.sleep(1000);
                }
            } while (interactive);
            return 0;
        } catch (CliFailure f) {
            spec.commandLine().getErr().println(f.getMessage());
            return f.code;
        } catch (IOException e) {
            spec.commandLine().getErr().println("lost the rr-tcp RPC connection: " + e.getMessage());
            return 1;
        }
    }

    private String render(RpcClient rpc) throws IOException, CliFailure {
        List<String> names = plugins;
        if (names.isEmpty()) {
            try {
                names = rpc.call("informer.List", Json.TRUE).asArray().values().stream().map(JsonValue::asString).toList();
            } catch (RpcException e) {
                throw new CliFailure(1, "informer.List failed: " + e.getMessage());
            }
        }
        StringBuilder out = new StringBuilder();
        Instant now = Instant.now();
        for (String plugin : names) {
            Table table = new Table("PID", "Status", "Execs", "Memory", "CPU%", "Created");
            try {
                JsonValue workers = rpc.call("informer.Workers", Json.value(plugin)).asObject().get("workers");
                if (workers == null || !workers.isArray() || workers.asArray().isEmpty()) {
                    continue;
                }
                workers.asArray().values().stream().map(JsonValue::asObject)
                        .sorted(Comparator.comparingLong(w -> w.getLong("pid", 0)))
                        .forEach(w -> table.row(row(w, now)));
            } catch (RpcException e) {
                table.row("0", "failed to receive information about " + plugin + " plugin: " + e.getMessage(),
                        "ERROR", "ERROR", "ERROR", "ERROR");
            }
            out.append("Workers of [").append(plugin).append("]:\n").append(table.render());
        }
        return out.toString();
    }

    private static String[] row(JsonObject w, Instant now) {
        long created = w.getLong("created", 0);
        return new String[]{
                String.valueOf(w.getLong("pid", 0)),
                w.getString("statusStr", ""),
                Human.comma(w.getLong("numExecs", 0)),
                Human.bytes(w.getLong("memoryUsage", 0)),
                String.format(java.util.Locale.ROOT, "%.2f", w.getDouble("CPUPercent", 0)),
                Human.ago(Instant.ofEpochSecond(0, created), now)};
    }
}

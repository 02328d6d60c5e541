package io.rrtcp.cli;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;
import io.rrtcp.rpc.RpcClient;
import io.rrtcp.rpc.RpcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code rr-tcp reset [plugin...]}: replaces every worker of a running server, like {@code rr reset}. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Replace the workers of a running rr-tcp (over RPC) with fresh ones.")
public final class ResetCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PLUGIN", arity = "0..*", description = "Plugins to reset (default: every resettable plugin).")
    List<String> plugins = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RpcClient rpc = RpcTarget.connect(main, spec)) {
            List<String> names = plugins.isEmpty()
                    ? rpc.call("resetter.List", Json.TRUE).asArray().values().stream().map(JsonValue::asString).toList()
                    : plugins;
            int failed = 0;
            for (String plugin : names) {
                out.println("resetting plugin: [" + plugin + "]");
                out.flush();
                try {
                    rpc.call("resetter.Reset", Json.value(plugin));
                    out.println("plugin reset: [" + plugin + "]");
                } catch (RpcException e) {
                    err.println("reset of [" + plugin + "] failed: " + e.getMessage());
                    failed++;
                }
            }
            return failed == 0 ? 0 : 1;
        } catch (CliFailure f) {
            err.println(f.getMessage());
            return f.code;
        } catch (RpcException e) {
            err.println("resetter.List failed: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("lost the rr-tcp RPC connection: " + e.getMessage());
            return 1;
        }
    }
}

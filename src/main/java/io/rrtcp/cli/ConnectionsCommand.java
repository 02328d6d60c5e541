package io.rrtcp.cli;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import io.rrtcp.rpc.RpcClient;
import io.rrtcp.rpc.RpcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code rr-tcp connections}: the open client connections of a running server ({@code tcp.List}). */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = "Show the open client connections of a running rr-tcp (over RPC).")
public final class ConnectionsCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RpcClient rpc = RpcTarget.connect(main, spec)) {
            JsonObject reply = rpc.call("tcp.List", Json.TRUE).asObject();
            JsonArray list = reply.get("connections").asArray();
            JsonValue servers = reply.get("servers"); // absent from servers before framing existed
            if (list.isEmpty()) {
                out.println("no open connections");
                return 0;
            }
            Table table = new Table("UUID", "Server", "Remote addr", "Connected", "Bytes in", "Bytes out", "Framing");
            Instant now = Instant.now();
            for (JsonValue v : list) {
                JsonObject c = v.asObject();
                table.row(c.getString("uuid", ""), c.getString("server", ""), c.getString("remote_addr", ""),
                        Human.ago(Instant.parse(c.getString("connected_at", now.toString())), now),
                        Human.bytes(c.getLong("bytes_in", 0)), Human.bytes(c.getLong("bytes_out", 0)),
                        framing(servers, c));
            }
            out.print(table.render());
            out.println(list.size() + (list.size() == 1 ? " connection" : " connections"));
            return 0;
        } catch (CliFailure f) {
            spec.commandLine().getErr().println(f.getMessage());
            return f.code;
        } catch (RpcException e) {
            spec.commandLine().getErr().println("tcp.List failed: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            spec.commandLine().getErr().println("lost the rr-tcp RPC connection: " + e.getMessage());
            return 1;
        }
    }

    /** The connection's server's framing in full ({@code length offset=4 size=2 ...}), else its kind. */
    private static String framing(JsonValue servers, JsonObject connection) {
        JsonValue server = servers != null && servers.isObject()
                ? servers.asObject().get(connection.getString("server", "")) : null;
        return server != null && server.isObject() ? server.asObject().getString("framing", "")
                : connection.getString("framing", "");
    }
}

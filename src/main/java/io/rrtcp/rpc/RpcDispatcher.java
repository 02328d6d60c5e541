package io.rrtcp.rpc;

import com.eclipsesource.json.JsonObject;
import io.rrtcp.goridge.Frame;
import io.rrtcp.log.Log;
import io.rrtcp.tcp.ConnectionRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns one RPC request frame into its reply frame: finds "Service.Method", decodes the argument, runs the method
 * and encodes the result, or answers an error frame ({@code codec | 0x40}) with upstream's texts. The reply echoes the
 * sequence id, the method name and the codec.
 */
public final class RpcDispatcher {
    private static final Log LOG = Log.get("rpc");

    private final Map<String, RpcMethod> methods = new HashMap<>();

    /**
     * Every method rr-tcp serves: {@code tcp.*} on {@code connections}, {@code informer.*}/{@code resetter.*} on
     * {@code plugins}, and {@code rpc.Version}.
     *
     * @param servers      the configured tcp server names (for {@code tcp.Broadcast})
     * @param writeTimeout longest wait for a {@code tcp.Send}/{@code tcp.Broadcast} write before the client is closed,
     *                     for connections whose server has no {@code write_timeout} (theirs applies otherwise)
     */
    public static RpcDispatcher of(ConnectionRegistry connections, Set<String> servers,
                                   Map<String, ManagedWorkers> plugins, Duration writeTimeout,
                                   String version) {
        RpcDispatcher d = new RpcDispatcher();
        new TcpMethods(connections, servers, writeTimeout).registerOn(d);
        new WorkerMethods(plugins).registerOn(d);
        d.register("rpc.Version", Args.Type.BOOL, arg -> version);
        return d;
    }

    /** A method another package serves (e.g. {@code metrics.*} from io.rrtcp.ops), taking its decoded argument. */
    @FunctionalInterface
    public interface Method<A> {
        Object call(A arg) throws RpcException;
    }

    /** Serves {@code Service.Method} whose argument is a JSON object (a Go struct upstream). */
    public RpcDispatcher registerObjectMethod(String name, Method<JsonObject> method) {
        return register(name, Args.Type.OBJECT, arg -> method.call((JsonObject) arg));
    }

    /** Serves {@code Service.Method} whose argument is a string. */
    public RpcDispatcher registerStringMethod(String name, Method<String> method) {
        return register(name, Args.Type.STRING, arg -> method.call((String) arg));
    }

    /** Adds the {@code kv.*} methods over {@code kv}'s storages (only when the config has a {@code kv} section). */
    public RpcDispatcher withKv(io.rrtcp.kv.KvService kv) {
        KvMethods.registerOn(this, kv);
        return this;
    }

    /** Registers {@code Service.Method}. */
    RpcDispatcher register(String name, Args.Type arg, RpcMethod.Handler handler) {
        methods.put(name, new RpcMethod(arg, handler));
        return this;
    }

    /**
     * Answers a request whose header is valid (two options, method length within the payload).
     */
    public Frame handle(Frame request) {
        int seq = request.options()[0];
        int methodLength = request.options()[1];
        byte[] payload = request.payload();
        String method = new String(payload, 0, methodLength, StandardCharsets.UTF_8);
        Codec codec = Codec.of(request.flags());
        byte[] methodBytes = Arrays.copyOf(payload, methodLength);
        try {
            RpcMethod m = find(method);
            Object arg = Args.decode(codec, m.arg(), payload, methodLength);
            Object result = m.handler().call(arg);
            byte[] body = Replies.encode(codec, result);
            return reply(codec.flag, seq, methodBytes, body);
        } catch (RpcException e) {
            LOG.debug("rpc call failed", "method", method, "error", e.getMessage());
            return reply(codec.flag | Frame.ERROR, seq, methodBytes, e.getMessage().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.error("rpc method failed unexpectedly", "method", method, "error", String.valueOf(e));
            return reply(codec.flag | Frame.ERROR, seq, methodBytes,
                    ("internal error: " + e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private RpcMethod find(String method) throws RpcException {
        int dot = method.lastIndexOf('.');
        if (dot < 0) {
            throw new RpcException("rpc: service/method request ill-formed: " + method);
        }
        RpcMethod m = methods.get(method);
        if (m != null) {
            return m;
        }
        String service = method.substring(0, dot + 1);
        boolean known = methods.keySet().stream().anyMatch(name -> name.startsWith(service));
        throw new RpcException((known ? "rpc: can't find method " : "rpc: can't find service ") + method);
    }

    private static Frame reply(int flags, int seq, byte[] method, byte[] body) {
        return new Frame(flags, 0, new int[]{seq, method.length}, Gob.concat(method, body));
    }
}

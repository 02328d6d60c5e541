package io.rrtcp.rpc;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;
import io.rrtcp.goridge.Frame;
import io.rrtcp.goridge.FrameCodec;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A goridge RPC client speaking the JSON codec, as PHP's {@code Spiral\Goridge\RPC\RPC} does: one call at a time,
 * sequence ids from 1. Used by the CLI's {@code workers}, {@code reset} and {@code connections}.
 */
public final class RpcClient implements AutoCloseable {
    /** Longest wait for one reply: above upstream's 60 s reset_timeout, so that a slow {@code resetter.Reset} fits. */
    public static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);

    private final RpcAddress address;
    private final SocketChannel channel;
    private final InputStream in;
    private int seq = 1;

    private RpcClient(RpcAddress address, SocketChannel channel) throws IOException {
        this.address = address;
        this.channel = channel;
        this.in = new BufferedInputStream(Channels.newInputStream(channel));
    }

    /**
     * Connects to a running rr-tcp.
     *
     * @throws IOException with one clear line, e.g. {@code no rr-tcp RPC at tcp://127.0.0.1:6001: connection refused}
     */
    public static RpcClient connect(String dsn) throws IOException {
        RpcAddress address;
        try {
            address = RpcAddress.parse(dsn);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        SocketChannel channel = SocketChannel.open(address.family());
        try {
            channel.connect(address.resolved());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("no rr-tcp RPC at " + dsn + ": " + reason(e), e);
        }
        return new RpcClient(address, channel);
    }

    private static String reason(Exception e) {
        return switch (e) {
            case ConnectException ignored -> "connection refused";
            case NoSuchFileException ignored -> "no such socket file";
            case SocketException s when s.getMessage() != null && s.getMessage().contains("No such file") -> "no such socket file";
            default -> e.getMessage() != null ? e.getMessage().toLowerCase() : e.getClass().getSimpleName();
        };
    }

    public RpcAddress address() {
        return address;
    }

    /** Calls {@code method} with a JSON argument and returns the JSON reply; an error frame becomes an RpcException. */
    public JsonValue call(String method, JsonValue arg) throws IOException, RpcException {
        Frame reply = callRaw(Frame.CODEC_JSON, method, arg.toString().getBytes(StandardCharsets.UTF_8));
        int methodLength = reply.options()[1];
        String body = new String(reply.payload(), methodLength, reply.payload().length - methodLength, StandardCharsets.UTF_8);
        if (reply.has(Frame.ERROR)) {
            throw new RpcException(body);
        }
        return Json.parse(body);
    }

    /** Sends one request frame ({@code flags}, method, body) and returns the reply frame as received. */
    public Frame callRaw(int flags, String method, byte[] body) throws IOException {
        byte[] name = method.getBytes(StandardCharsets.UTF_8);
        int id = seq++;
        byte[] frame = FrameCodec.encode(flags, 0, new int[]{id, name.length}, name, body);
        ByteBuffer out = ByteBuffer.wrap(frame);
        AtomicBoolean timedOut = new AtomicBoolean();
        // a blocking channel read has no timeout of its own: a watchdog closes the channel when the reply is late
        Thread watchdog = Thread.ofVirtual().name("rpc-call-timeout").start(() -> {
            try {
                Thread.sleep(CALL_TIMEOUT);
                timedOut.set(true);
                channel.close();
            } catch (InterruptedException | IOException ignored) {
                // the reply came in time (interrupted), or the channel is already closed
            }
        });
        Frame reply;
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
            reply = FrameCodec.read(in, RpcServer.MAX_PAYLOAD);
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new IOException("no reply from rr-tcp at " + address + " to " + method + " within "
                        + CALL_TIMEOUT.toMinutes() + " minutes", e);
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
        if (reply == null) {
            throw new IOException("rr-tcp at " + address + " closed the RPC connection without a reply to " + method);
        }
        if (reply.options().length != 2 || reply.options()[0] != id) {
            throw new IOException("invalid RPC reply to " + method + ": expected sequence " + id + ", got " + reply);
        }
        return reply;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

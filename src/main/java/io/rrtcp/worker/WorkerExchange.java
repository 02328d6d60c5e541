package io.rrtcp.worker;

import io.rrtcp.goridge.Body;
import io.rrtcp.goridge.Payload;

import io.rrtcp.goridge.Frame;
import io.rrtcp.goridge.FrameCodec;
import io.rrtcp.goridge.FrameException;
import io.rrtcp.goridge.PidHandshake;
import io.rrtcp.log.Log;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The goridge frame protocol with one worker, over its {@link WorkerChannel}: one request frame out, one reply in,
 * classified as a {@link Reply}. A worker that dies or breaks the protocol is a {@link WorkerException} (BROKEN), and
 * is killed. The caller holds the worker's exchange lock.
 */
final class WorkerExchange {
    private static final Log LOG = Log.get("server");
    /** Requests up to this long are built in one array and written at once. */
    private static final int SMALL_FRAME = 64 * 1024;
    /** Reply bodies longer than this are read in chunks of this size. */
    static final int BODY_CHUNK = 1 << 20;
    static final byte[] STOP_PAYLOAD = "{\"stop\":true}".getBytes(StandardCharsets.US_ASCII);
    /** How long a worker that hung up may take to be reaped, so that its exit code can be read. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    /** What the exchange needs of the process it talks to. */
    interface Peer {
        long pid();

        /** SIGKILL, and the worker marked errored. */
        void killBroken();

        boolean awaitExit(Duration timeout);

        /** The exit code; only once the process has exited. */
        int exitCode();

        boolean isAlive();

        /** Whether exec_ttl killed it during this exchange (its hang-up is then no fault of its own). */
        boolean execTtlFired();

        void kill();
    }

    private final Peer peer;
    private final WorkerChannel channel;
    private final WorkerSpec spec;
    private final TimeSource time;

    WorkerExchange(Peer peer, WorkerChannel channel, WorkerSpec spec, TimeSource time) {
        this.peer = peer;
        this.channel = channel;
        this.spec = spec;
        this.time = time;
    }

    /** The pid handshake over pipes; returns the pid the worker reported. @throws EOFException when it ended first */
    long handshake() throws IOException {
        channel.write(PidHandshake.REQUEST);
        Frame reply = FrameCodec.read(channel.input(), PidHandshake.MAX_REPLY);
        if (reply == null) {
            throw new EOFException();
        }
        return PidHandshake.pidOf(reply);
    }

    /** One request and its reply; {@code afterSend} runs once the request is written (or failed to be). */
    Reply exec(Payload request, Runnable afterSend) throws WorkerException {
        try {
            sendRequest(request);
        } finally {
            afterSend.run();
        }
        Reply reply = receiveReply(request);
        if (reply instanceof Reply.Answer) {
            refuseOutputAfterReply();
        }
        return reply;
    }

    /**
     * A CLOSE event followed by a pid frame: workers may or may not answer CLOSE, so the pid reply marks the end; at
     * most one ordinary reply before it (the answer to CLOSE) is read and dropped. The stream stays in step either way.
     */
    void execClose(Payload closeEvent, Runnable afterSend) throws WorkerException {
        byte[] request = FrameCodec.encode(0, 0, new int[]{closeEvent.context().length},
                closeEvent.context(), closeEvent.body());
        byte[] both = Arrays.copyOf(request, request.length + PidHandshake.REQUEST.length);
        System.arraycopy(PidHandshake.REQUEST, 0, both, request.length, PidHandshake.REQUEST.length);
        try {
            ensureAlive();
            refuseOutputBeforeRequest();
            channel.write(both);
        } catch (IOException e) {
            throw broken(false, "cannot write to the worker: " + e.getMessage(), e);
        } finally {
            afterSend.run();
        }
        if (!receiveWhole().has(Frame.CONTROL) && !receiveWhole().has(Frame.CONTROL)) {
            throw broken(true, "sent two replies to one CLOSE event; expected at most one before the pid reply", null);
        }
        refuseOutputAfterReply();
    }

    /** The stop command; true if it was written. */
    void sendStop() throws IOException {
        channel.write(FrameCodec.encode(Frame.of(Frame.CONTROL | Frame.CODEC_JSON, STOP_PAYLOAD)));
    }

    /** Reads and drops whatever the worker still writes (a PHP TcpWorker answers the stop with a CLOSE frame). */
    void drain() {
        try {
            channel.input().transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the process is gone; nothing left to drain
        }
    }

    /** A worker that already exited never sees the request: say so, so that the pool hands it to another one. */
    private void ensureAlive() throws WorkerException {
        if (peer.isAlive()) {
            return;
        }
        int code = peer.exitCode();
        if (code != 0) {
            throw broken(false, "had exited (code " + code + ") before the request was sent", null);
        }
        throw new WorkerException(WorkerException.Kind.BROKEN, peer.pid(), false,
                "worker " + peer.pid() + " had exited (code 0) before the request was sent; it goes to another worker");
    }

    private void sendRequest(Payload request) throws WorkerException {
        ensureAlive();
        refuseOutputBeforeRequest();
        try {
            send(request);
        } catch (IOException e) {
            boolean cleanExit = peer.awaitExit(EXIT_GRACE) && peer.exitCode() == 0;
            if (cleanExit) {
                throw new WorkerException(WorkerException.Kind.BROKEN, peer.pid(), false, "worker " + peer.pid()
                        + " exited (code 0) before the request was written; it goes to another worker", e);
            }
            throw broken(false, "cannot write to the worker: " + e.getMessage(), e);
        }
    }

    /**
     * One request frame. A short one is built in one array and written at once; a long one goes out as its header,
     * the context and the body's slices, so that the body is never copied into a frame.
     */
    private void send(Payload request) throws IOException {
        byte[] context = request.context();
        Body body = request.data();
        int[] options = {context.length};
        if (body.length() <= SMALL_FRAME && body.slices().size() <= 1) {
            channel.write(FrameCodec.encode(0, 0, options, context, request.body()));
            return;
        }
        OutputStream out = channel.output();
        out.write(FrameCodec.header(0, 0, options, context.length + body.length()));
        out.write(context);
        body.writeTo(out);
        out.flush();
    }

    private Frame receiveWhole() throws WorkerException {
        FrameCodec.Header header = receiveHeader();
        return new Frame(header.flags(), header.streamFlags(), header.options(), readExactly(header.payloadLength(),
                header.payloadLength()));
    }

    /** The next reply's header; its payload is still to be read. */
    private FrameCodec.Header receiveHeader() throws WorkerException {
        FrameCodec.Header header;
        long before = channel.bytesRead();
        try {
            header = FrameCodec.readHeader(channel.input(), spec.maxPayload());
        } catch (FrameException e) {
            throw broken(true, e.getMessage(), e);
        } catch (IOException e) {
            // a socket peer that quits with our request unread answers with a reset, not an EOF
            if (channel.bytesRead() == before && !peer.execTtlFired()) {
                throw endedWithoutReply("hung up (" + e.getMessage() + ")");
            }
            throw broken(true, e.getMessage(), e);
        }
        if (header == null) {
            throw endedWithoutReply("closed its output (EOF)");
        }
        return header;
    }

    /** {@code length} bytes of the payload in flight ({@code payloadLength} in all), or the worker is broken. */
    private byte[] readExactly(int length, int payloadLength) throws WorkerException {
        try {
            byte[] bytes = channel.input().readNBytes(length);
            if (bytes.length < length) {
                throw broken(true, truncated(payloadLength), null);
            }
            return bytes;
        } catch (IOException e) {
            throw broken(true, e.getMessage(), e);
        }
    }

    private static String truncated(int payloadLength) {
        return "sent a truncated frame: its output ended within the " + payloadLength + "-byte payload";
    }

    /**
     * The reply to {@code request}. Its context is read into an array of its own and its body straight into a
     * {@link Body}, which for a long body reuses the request body's chunks: the request was delivered once a reply
     * header arrived, so an echo of a long message needs no new memory. Error, stream and malformed replies are read
     * whole and classified.
     */
    private Reply receiveReply(Payload request) throws WorkerException {
        FrameCodec.Header header = receiveHeader();
        int length = header.payloadLength();
        if (header.has(Frame.ERROR) || header.options().length != 1 || header.hasStream(Frame.STREAM)
                || Integer.toUnsignedLong(header.options()[0]) > length) {
            return classify(new Frame(header.flags(), header.streamFlags(), header.options(), readExactly(length, length)));
        }
        int split = header.options()[0];
        byte[] context = readExactly(split, length);
        Body body;
        try {
            body = Body.read(channel.input(), length - split, BODY_CHUNK, request.data().reusableArrays());
        } catch (IOException e) {
            throw broken(true, e.getMessage(), e);
        }
        if (body == null) {
            throw broken(true, truncated(length), null);
        }
        return answer(context, body);
    }

    /**
     * EOF before any byte of a reply. A worker whose loop ended on its own (exit code 0, e.g. after N requests) may
     * have gone between its last answer and our write, which the pipe still accepted: such a worker never read the
     * request, which may then go to another worker. Any other ending (a signal, a non-zero code, still running with
     * its output closed) means the request may have been read and possibly acted on: it fails.
     * A worker that reads a request and then exits 0 without any answer breaks the protocol (one reply per request)
     * and gets that request repeated elsewhere; that is the price of the rule, documented in the README.
     */
    private WorkerException endedWithoutReply(String hungUp) {
        boolean exited = peer.awaitExit(EXIT_GRACE);
        if (exited && peer.exitCode() == 0 && !peer.execTtlFired()) {
            return new WorkerException(WorkerException.Kind.BROKEN, peer.pid(), false, "worker " + peer.pid()
                    + " exited (code 0) without reading the request; it goes to another worker");
        }
        String how = exited ? "exited (code " + peer.exitCode() + ")" : hungUp;
        return broken(true, how + " while a request was in flight", null);
    }

    private Reply classify(Frame reply) throws WorkerException {
        if (reply.has(Frame.ERROR)) {
            return new Reply.ErrorFrame(new String(reply.payload(), StandardCharsets.UTF_8));
        }
        if (reply.options().length != 1) {
            throw broken(true, "sent a reply with " + reply.options().length
                    + " options; options length should be equal 1 (body offset)", null);
        }
        long split = Integer.toUnsignedLong(reply.options()[0]);
        if (split > reply.payload().length) {
            throw broken(true, "sent a reply whose context length " + split + " exceeds its payload of "
                    + reply.payload().length + " bytes", null);
        }
        if (reply.hasStream(Frame.STREAM)) {
            if (reply.hasStream(Frame.PING)) { // the first chunk may ask too; the worker waits for this PONG
                pong();
            }
            drainStream();
            return new Reply.StreamRefused();
        }
        byte[] context = Arrays.copyOfRange(reply.payload(), 0, (int) split);
        byte[] body = Arrays.copyOfRange(reply.payload(), (int) split, reply.payload().length);
        return answer(context, Body.of(body));
    }

    private static Reply answer(byte[] context, Body body) {
        if (body.length() == 0 && Arrays.equals(context, STOP_PAYLOAD)) {
            return new Reply.StopRequested();
        }
        return new Reply.Answer(new Payload(context, body));
    }

    private void pong() throws WorkerException {
        try {
            channel.write(FrameCodec.encode(new Frame(0, Frame.PONG, new int[0], new byte[0])));
        } catch (IOException e) {
            throw broken(true, "cannot answer its PING: " + e.getMessage(), e);
        }
    }

    /** Reads and drops the rest of a streamed reply, answering PINGs, within stream_timeout. */
    private void drainStream() throws WorkerException {
        AtomicBoolean timedOut = new AtomicBoolean();
        Duration limit = spec.streamTimeout();
        TimeSource.Cancellable watchdog = time.schedule(limit, () -> {
            timedOut.set(true);
            LOG.warn("worker sent no more of its streamed reply within stream_timeout; killing it", "pid", peer.pid(),
                    "stream_timeout", limit, "raise", "tcp.pool.stream_timeout");
            peer.kill();
        });
        String stalled = "was killed: no more of its streamed reply came within stream_timeout=" + limit.toMillis() + "ms";
        try {
            Frame chunk;
            do {
                chunk = FrameCodec.read(channel.input(), spec.maxPayload());
                if (chunk == null) {
                    throw broken(true, timedOut.get() ? stalled : "closed its stdout (EOF) in the middle of a stream", null);
                }
                if (chunk.hasStream(Frame.PING)) {
                    pong();
                }
            } while (chunk.hasStream(Frame.STREAM));
        } catch (IOException e) {
            throw broken(true, timedOut.get() ? stalled : "failed while its stream was drained: " + e.getMessage(), e);
        } finally {
            watchdog.cancel();
        }
    }

    /**
     * Bytes waiting on the worker's output with no request out: it wrote while idle (a stray frame, a second reply).
     * Read as the coming request's reply they would reach the wrong client, so the worker is killed first; the
     * request was not sent and goes to another worker.
     */
    private void refuseOutputBeforeRequest() throws WorkerException {
        int waiting = channel.waiting();
        if (waiting > 0) {
            throw broken(false, unsolicited(waiting, "before a request was sent") + "; the request goes to another worker",
                    null);
        }
    }

    /**
     * Bytes that came with a whole reply: a second reply to one request. Which frame was meant is unknowable, so the
     * request fails (its client is closed) and the worker is killed before the extra reaches anyone. Only what was
     * read along with the reply is looked at (no syscall); a frame that comes later is caught before the next request
     * or by the idle watch.
     */
    private void refuseOutputAfterReply() throws WorkerException {
        int waiting = channel.buffered();
        if (waiting > 0) {
            throw broken(true, unsolicited(waiting, "right after its reply (a second reply to one request)")
                    + "; the request fails", null);
        }
    }

    static String unsolicited(int bytes, String when) {
        return "wrote " + bytes + " bytes nobody asked for " + when + "; killed";
    }

    private WorkerException broken(boolean delivered, String why, Throwable cause) {
        peer.killBroken();
        return new WorkerException(WorkerException.Kind.BROKEN, peer.pid(), delivered,
                "worker " + peer.pid() + " " + why, cause);
    }
}

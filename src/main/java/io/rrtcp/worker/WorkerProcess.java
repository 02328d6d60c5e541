package io.rrtcp.worker;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import io.rrtcp.goridge.Frame;
import io.rrtcp.goridge.FrameCodec;
import io.rrtcp.goridge.FrameException;
import io.rrtcp.goridge.SocketRelayServer;
import io.rrtcp.log.Log;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One PHP worker process talking goridge over its stdin/stdout: started with a pid handshake, then one synchronous
 * request/reply frame exchange per {@link #exec}. Its stderr goes to the log, line by line, prefixed with its pid.
 */
public final class WorkerProcess {
    private static final Log LOG = Log.get("server");
    private static final Log PHP = Log.get("php");
    /** rr-tcp's pid request ({"pid":<our pid>}, CONTROL|JSON): the same bytes for the handshake and after CLOSE. */
    private static final byte[] PID_REQUEST = FrameCodec.encode(Frame.of(Frame.CONTROL | Frame.CODEC_JSON,
            ("{\"pid\":" + ProcessHandle.current().pid() + "}").getBytes(StandardCharsets.US_ASCII)));
    /** Requests up to this long are built in one array and written at once. */
    private static final int SMALL_FRAME = 64 * 1024;
    /** Reply bodies longer than this are read in chunks of this size. */
    static final int BODY_CHUNK = 1 << 20;
    private static final byte[] STOP_PAYLOAD = "{\"stop\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final int STDERR_LINES_KEPT = 20;
    /** How long a worker that hung up may take to be reaped, so that its exit code can be read. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    private final Process process;
    private final long pid;
    private final WorkerSpec spec;
    private CountingInputStream fromWorker;
    private OutputStream toWorker;
    /** The pipes as channels, when on pipes and the JVM allows it; else null. */
    private PipeChannels pipeChannels;
    /** The socket relay connection, when not on pipes. */
    private SocketChannel channel;
    private final Instant created = Instant.now();
    private final AtomicLong execs = new AtomicLong();
    private final ReentrantLock exchange = new ReentrantLock();
    private final ArrayDeque<String> recentStderr = new ArrayDeque<>();
    private final List<Thread> pumps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean retired = new AtomicBoolean();
    private final AtomicBoolean execTtlFired = new AtomicBoolean();
    private final AtomicBoolean lent = new AtomicBoolean();
    private volatile WorkerState state = WorkerState.INACTIVE;
    /** System.nanoTime() when the last request ended; 0 while none has. */
    private volatile long lastDone;
    private volatile long served;
    private volatile Recycle recycle;

    /** Why and as what a busy worker is to be replaced once its current request ends (set by the supervisor). */
    record Recycle(WorkerState state, String reason) {
    }

    private WorkerProcess(Process process, WorkerSpec spec) {
        this.process = process;
        this.pid = process.pid();
        this.spec = spec;
    }

    /**
     * Starts the worker and completes the pid handshake within {@code spec.startTimeout()}.
     *
     * @throws WorkerException of kind START_FAILED, with the worker's stderr in the message
     */
    public static WorkerProcess start(WorkerSpec spec) throws WorkerException {
        Process process;
        try {
            process = processBuilder(spec).start();
        } catch (IOException e) {
            throw new WorkerException(WorkerException.Kind.START_FAILED, 0, false,
                    "cannot start worker command " + spec.command() + " in " + spec.workdir() + ": " + e.getMessage(), e);
        }
        WorkerProcess worker = new WorkerProcess(process, spec);
        worker.pump(process.getErrorStream(), "stderr");
        if (spec.relay().isPresent()) {
            worker.connect(spec.relay().get());
        } else {
            // held so that the pipes, closed once the process exits, stay open until the handshake's failure is told
            worker.exchange.lock();
            try {
                worker.usePipes();
                worker.handshake();
            } finally {
                worker.exchange.unlock();
            }
        }
        return worker;
    }

    /**
     * Pipes: stdin and stdout as channels where the JVM allows it (see {@link PipeChannels}), else the process streams.
     * Channels are closed by rr-tcp once the process has exited and no exchange still reads its last reply.
     */
    private void usePipes() {
        Optional<PipeChannels> taken = PipeChannels.take(process);
        if (taken.isPresent()) {
            pipeChannels = taken.get();
            fromWorker = new CountingInputStream(new BufferedInputStream(pipeChannels.input(), 64 * 1024));
            toWorker = pipeChannels.output();
            process.onExit().thenRun(() -> Thread.ofVirtual().name("pipes-close-" + pid).start(this::closePipes));
        } else {
            fromWorker = new CountingInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024));
            toWorker = process.getOutputStream();
        }
    }

    /** Once the process is gone: waits for a request still reading its reply, then frees the pipe descriptors. */
    private void closePipes() {
        exchange.lock();
        try {
            pipeChannels.close();
        } finally {
            exchange.unlock();
        }
    }

    /** Whether stdin/stdout are channels on the JDK's poller (true) or the process streams (false). */
    boolean pipesOnPoller() {
        return pipeChannels != null;
    }

    /**
     * Socket relay: the worker connects to rr-tcp, which has done the pid exchange by the time it hands over the
     * connection. stdin is not used; stdout is logged like stderr.
     */
    private void connect(SocketRelayServer relay) throws WorkerException {
        pump(process.getInputStream(), "stdout");
        try {
            process.getOutputStream().close();
            channel = relay.await(pid, spec.relayTimeout(), process::isAlive);
        } catch (IOException e) {
            throw startFailure(e.getMessage(), e);
        }
        fromWorker = new CountingInputStream(new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024));
        toWorker = Channels.newOutputStream(channel);
        state = WorkerState.READY;
    }

    private void closeChannel() {
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("relay connection close failed", "pid", pid, "error", e.getMessage());
            }
        }
    }

    private static ProcessBuilder processBuilder(WorkerSpec spec) {
        List<String> argv = new ArrayList<>();
        // Its own session, so that a terminal's Ctrl-C reaches rr-tcp only and workers are stopped in order.
        // setsid execs in place here (a child of the JVM is no group leader), so the pid stays the worker's.
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString());
        }
        argv.addAll(spec.command());
        ProcessBuilder builder = new ProcessBuilder(argv).directory(spec.workdir().toFile());
        builder.environment().putAll(spec.env());
        return builder;
    }

    /**
     * Logs what the worker writes to {@code stream} line by line, and keeps the last lines for error messages. On a
     * platform thread: a read on a pipe holds its thread for as long as it blocks, and a virtual thread's carrier held
     * for the worker's whole life would make the scheduler add and wake spare carriers for every other pipe read.
     */
    private void pump(InputStream stream, String name) {
        pumps.add(Thread.ofPlatform().daemon().name(name + "-" + pid).stackSize(256 * 1024).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                readLines(reader, name);
                // When the JDK reaps a process it moves the unread rest of its pipes into a buffer; a read racing that
                // swap sees an early end. Once the process is gone, one more pass picks up those last lines.
                awaitExit(Duration.ofSeconds(1));
                readLines(reader, name);
            } catch (IOException e) {
                LOG.debug("worker " + name + " close failed", "pid", pid, "error", e.getMessage());
            }
        }));
    }

    private void readLines(BufferedReader reader, String name) {
        try {
            for (String line; (line = reader.readLine()) != null; ) {
                remember(line);
                PHP.info("[" + pid + "] " + line, "pid", pid);
            }
        } catch (IOException e) {
            LOG.debug("worker " + name + " closed", "pid", pid, "error", e.getMessage());
        }
    }

    private void remember(String line) {
        synchronized (recentStderr) {
            if (recentStderr.size() == STDERR_LINES_KEPT) {
                recentStderr.removeFirst();
            }
            recentStderr.addLast(line);
        }
    }

    private void awaitPumps(Duration timeout) {
        for (Thread pump : pumps) {
            try {
                pump.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The last lines the worker wrote to stderr, for error messages. */
    public String recentStderr() {
        synchronized (recentStderr) {
            return String.join("\n", recentStderr);
        }
    }

    private void handshake() throws WorkerException {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = Timers.schedule(spec.startTimeout(), () -> {
            timedOut.set(true);
            kill();
        });
        String timeout = "did not answer the pid handshake within allocate_timeout=" + spec.startTimeout().toMillis() + "ms";
        try {
            send(PID_REQUEST);
            Frame reply = FrameCodec.read(fromWorker, 4096);
            if (reply == null) {
                throw startFailure(timedOut.get() ? timeout : exitedBeforeHandshake("closed its stdout"), null);
            }
            checkPidReply(reply);
            state = WorkerState.READY;
        } catch (FrameException e) {
            throw startFailure(timedOut.get() ? timeout : "failed the pid handshake: " + e.getMessage(), e);
        } catch (IOException e) {
            // a worker that quit first makes our write or read fail in ways that vary by the race (broken pipe, stream
            // closed, bad descriptor): its exit is the news
            throw startFailure(timedOut.get() ? timeout : exitedBeforeHandshake(e.getMessage()), e);
        } finally {
            watchdog.cancel(false);
        }
    }

    /** "exited with code N before answering the pid handshake", or when it still runs, what the pipe said. */
    private String exitedBeforeHandshake(String pipeSaid) {
        if (awaitExit(EXIT_GRACE)) {
            byte[] stdout = unreadOutput();
            return "exited with code " + process.exitValue() + " before answering the pid handshake"
                    + (stdout.length == 0 ? "" : "; its stdout: " + FrameCodec.printable(stdout, new byte[0]));
        }
        return "failed the pid handshake: " + pipeSaid;
    }

    private void checkPidReply(Frame reply) throws WorkerException {
        if (!reply.has(Frame.CONTROL)) {
            throw startFailure("unexpected response, header is missing, no CONTROL flag", null);
        }
        long reported;
        try {
            JsonValue value = Json.parse(new String(reply.payload(), StandardCharsets.UTF_8)).asObject().get("pid");
            reported = value == null ? 0 : value.asLong();
        } catch (RuntimeException e) {
            throw startFailure("pid reply is not JSON with an integer pid: "
                    + new String(reply.payload(), StandardCharsets.UTF_8), e);
        }
        if (reported <= 0) {
            throw startFailure("pid should be greater than 0, got " + reported, null);
        }
        if (reported != pid) {
            LOG.debug("worker reports another pid than the process it runs in", "pid", pid, "reported", reported);
        }
    }

    private WorkerException startFailure(String why, Throwable cause) {
        kill();
        awaitExit(Duration.ofSeconds(1));
        awaitPumps(Duration.ofSeconds(1)); // its last words, e.g. a PHP parse error, belong in the message
        String stderr = recentStderr();
        String exit = process.isAlive() || why.startsWith("exited with code") ? "" : " (exit code " + process.exitValue() + ")";
        String message = "worker " + pid + " " + why + exit + "; command: " + String.join(" ", spec.command())
                + (stderr.isEmpty() ? "" : "; its stderr:\n" + stderr);
        return new WorkerException(WorkerException.Kind.START_FAILED, pid, false, message, cause);
    }

    public long pid() {
        return pid;
    }

    public Instant created() {
        return created;
    }

    public long numExecs() {
        return execs.get();
    }

    public WorkerState state() {
        return state;
    }

    void setState(WorkerState next) {
        state = next;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Marks the worker as leaving the pool; true only for the first caller, so one replacement is made. */
    boolean retire() {
        return retired.compareAndSet(false, true);
    }

    boolean isRetired() {
        return retired.get();
    }

    /** Runs {@code action} once the process has exited, with its exit code. */
    void onExit(Consumer<Integer> action) {
        process.onExit().thenAccept(p -> action.accept(p.exitValue()));
    }

    /** A snapshot with memory and CPU figures from /proc (zeros when they cannot be read). */
    public WorkerInfo info() {
        ProcStats stats = process.isAlive() ? ProcStats.of(pid) : ProcStats.NONE;
        return new WorkerInfo(pid, state, execs.get(), created, stats.rssBytes(), stats.cpuPercent());
    }

    /** Whether a request holds this worker: its end, not the exit handler, decides what happens to the worker. */
    boolean isLent() {
        return lent.get();
    }

    void lend(boolean out) {
        lent.set(out);
    }

    /** Requests answered successfully (not errors, not failures). */
    long served() {
        return served;
    }

    /** System.nanoTime() when the last request ended, 0 if none has run yet. */
    long lastDone() {
        return lastDone;
    }

    void markForRecycle(Recycle mark) {
        recycle = mark;
    }

    Recycle recycleMark() {
        return recycle;
    }

    /**
     * Sends one request and returns the worker's reply.
     *
     * @throws WorkerException SOFT_JOB for an ERROR frame, STOP_REQUESTED when the worker asks to be replaced,
     *                         STREAM_REFUSED for a streamed reply, BROKEN when the worker died or broke the protocol
     *                         (it is killed then)
     */
    public Payload exec(Payload request, Duration execTtl) throws WorkerException {
        exchange.lock();
        ScheduledFuture<?> watchdog = execWatchdog(execTtl);
        try {
            state = WorkerState.WORKING;
            sendRequest(request);
            Payload answer = receiveReply(request);
            refuseOutputAfterReply();
            served++;
            return answer;
        } catch (WorkerException e) {
            throw execTtlFired.get() ? execTtlExpired(execTtl, e) : e;
        } finally {
            endExchange(watchdog);
        }
    }

    /** {@link #exec(Payload, Duration)} without exec_ttl. */
    public Payload exec(Payload request) throws WorkerException {
        return exec(request, Duration.ZERO);
    }

    /** Kills the worker when the request outlives exec_ttl (zero: no limit, as upstream without a supervisor). */
    private ScheduledFuture<?> execWatchdog(Duration execTtl) {
        if (execTtl.isZero()) {
            return null;
        }
        return Timers.schedule(execTtl, () -> {
            execTtlFired.set(true);
            state = WorkerState.EXEC_TTL_REACHED;
            kill();
        });
    }

    private void endExchange(ScheduledFuture<?> watchdog) {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        lastDone = System.nanoTime();
        exchange.unlock();
    }

    private WorkerException execTtlExpired(Duration execTtl, WorkerException cause) {
        state = WorkerState.EXEC_TTL_REACHED;
        return new WorkerException(WorkerException.Kind.EXEC_TTL, pid, true,
                "worker_exec_with_timeout: ExecTTL: context deadline exceeded (worker " + pid
                        + " ran longer than exec_ttl=" + execTtl.toMillis() + "ms and was killed)", cause);
    }

    /**
     * Delivers a connection's CLOSE event. Workers may or may not answer it (the docs say they need not), so a pid
     * control frame follows it: the worker is free again when its pid reply arrives, and at most one ordinary reply
     * before that (the answer to CLOSE) is read and dropped. The frame stream stays in step either way.
     */
    public void execClose(Payload closeEvent, Duration execTtl) throws WorkerException {
        exchange.lock();
        ScheduledFuture<?> watchdog = execWatchdog(execTtl);
        try {
            state = WorkerState.WORKING;
            byte[] request = FrameCodec.encode(0, 0, new int[]{closeEvent.context().length},
                    closeEvent.context(), closeEvent.body());
            byte[] both = Arrays.copyOf(request, request.length + PID_REQUEST.length);
            System.arraycopy(PID_REQUEST, 0, both, request.length, PID_REQUEST.length);
            ensureAlive();
            refuseOutputBeforeRequest();
            execs.incrementAndGet();
            try {
                send(both);
            } catch (IOException e) {
                throw broken(false, "cannot write to the worker: " + e.getMessage(), e);
            }
            Frame first = receive(closeEvent);
            if (!first.has(Frame.CONTROL)) {
                Frame second = receive(closeEvent);
                if (!second.has(Frame.CONTROL)) {
                    throw broken(true, "sent two replies to one CLOSE event; expected at most one before the pid reply", null);
                }
            }
            refuseOutputAfterReply();
            state = WorkerState.READY;
        } catch (WorkerException e) {
            throw execTtlFired.get() ? execTtlExpired(execTtl, e) : e;
        } finally {
            endExchange(watchdog);
        }
    }

    /** {@link #execClose(Payload, Duration)} without exec_ttl. */
    public void execClose(Payload closeEvent) throws WorkerException {
        execClose(closeEvent, Duration.ZERO);
    }

    /** A worker that already exited never sees the request: say so, so that the pool hands it to another one. */
    private void ensureAlive() throws WorkerException {
        if (process.isAlive()) {
            return;
        }
        int code = process.exitValue();
        if (code != 0) {
            throw broken(false, "had exited (code " + code + ") before the request was sent", null);
        }
        state = WorkerState.STOPPED;
        throw new WorkerException(WorkerException.Kind.BROKEN, pid, false,
                "worker " + pid + " had exited (code 0) before the request was sent; it goes to another worker");
    }

    private void sendRequest(Payload request) throws WorkerException {
        ensureAlive();
        refuseOutputBeforeRequest();
        execs.incrementAndGet();
        try {
            send(request);
        } catch (IOException e) {
            boolean cleanExit = awaitExit(EXIT_GRACE) && process.exitValue() == 0;
            if (cleanExit) {
                state = WorkerState.STOPPED;
                throw new WorkerException(WorkerException.Kind.BROKEN, pid, false, "worker " + pid
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
            send(FrameCodec.encode(0, 0, options, context, request.body()));
            return;
        }
        toWorker.write(FrameCodec.header(0, 0, options, context.length + body.length()));
        toWorker.write(context);
        body.writeTo(toWorker);
        toWorker.flush();
    }

    private void send(byte[] frame) throws IOException {
        toWorker.write(frame);
        toWorker.flush();
    }

    private Frame receive(Payload request) throws WorkerException {
        FrameCodec.Header header = receiveHeader();
        return new Frame(header.flags(), header.streamFlags(), header.options(), readPayload(header.payloadLength()));
    }

    /** The next reply's header; its payload is still to be read. */
    private FrameCodec.Header receiveHeader() throws WorkerException {
        FrameCodec.Header header;
        long before = fromWorker.count();
        try {
            header = FrameCodec.readHeader(fromWorker, spec.maxPayload());
        } catch (FrameException e) {
            throw broken(true, e.getMessage(), e);
        } catch (IOException e) {
            // a socket peer that quits with our request unread answers with a reset, not an EOF
            if (fromWorker.count() == before && !execTtlFired.get()) {
                throw endedWithoutReply("hung up (" + e.getMessage() + ")");
            }
            throw broken(true, e.getMessage(), e);
        }
        if (header == null) {
            throw endedWithoutReply("closed its output (EOF)");
        }
        return header;
    }

    private byte[] readPayload(int length) throws WorkerException {
        return readExactly(length, length);
    }

    /** {@code length} bytes of the payload in flight ({@code payloadLength} in all), or the worker is broken. */
    private byte[] readExactly(int length, int payloadLength) throws WorkerException {
        try {
            byte[] bytes = fromWorker.readNBytes(length);
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
     * whole and classified as before.
     */
    private Payload receiveReply(Payload request) throws WorkerException {
        FrameCodec.Header header = receiveHeader();
        int length = header.payloadLength();
        if (header.has(Frame.ERROR) || header.options().length != 1 || header.hasStream(Frame.STREAM)
                || Integer.toUnsignedLong(header.options()[0]) > length) {
            return classify(new Frame(header.flags(), header.streamFlags(), header.options(), readPayload(length)));
        }
        int split = header.options()[0];
        byte[] context = readExactly(split, length);
        Body body;
        try {
            body = Body.read(fromWorker, length - split, BODY_CHUNK, request.data().reusableArrays());
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
        boolean exited = awaitExit(EXIT_GRACE);
        if (exited && process.exitValue() == 0 && !execTtlFired.get()) {
            state = WorkerState.STOPPED;
            return new WorkerException(WorkerException.Kind.BROKEN, pid, false, "worker " + pid
                    + " exited (code 0) without reading the request; it goes to another worker");
        }
        String how = exited ? "exited (code " + process.exitValue() + ")" : hungUp;
        return broken(true, how + " while a request was in flight", null);
    }

    private Payload classify(Frame reply) throws WorkerException {
        if (reply.has(Frame.ERROR)) {
            state = WorkerState.READY;
            throw new WorkerException(WorkerException.Kind.SOFT_JOB, pid, true,
                    "worker " + pid + " answered with an error: " + new String(reply.payload(), StandardCharsets.UTF_8));
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
        byte[] context = Arrays.copyOfRange(reply.payload(), 0, (int) split);
        byte[] body = Arrays.copyOfRange(reply.payload(), (int) split, reply.payload().length);
        if (reply.hasStream(Frame.STREAM)) {
            if (reply.hasStream(Frame.PING)) { // the first chunk may ask too; the worker waits for this PONG
                pong();
            }
            drainStream();
            state = WorkerState.READY;
            throw new WorkerException(WorkerException.Kind.STREAM_REFUSED, pid, true,
                    "worker " + pid + " answered with a stream; streaming is not supported");
        }
        return answer(context, Body.of(body));
    }

    private Payload answer(byte[] context, Body body) throws WorkerException {
        if (body.length() == 0 && Arrays.equals(context, STOP_PAYLOAD)) {
            state = WorkerState.INVALID;
            throw new WorkerException(WorkerException.Kind.STOP_REQUESTED, pid, true,
                    "worker " + pid + " asked to be stopped");
        }
        state = WorkerState.READY;
        return new Payload(context, body);
    }

    private void pong() throws WorkerException {
        try {
            send(FrameCodec.encode(new Frame(0, Frame.PONG, new int[0], new byte[0])));
        } catch (IOException e) {
            throw broken(true, "cannot answer its PING: " + e.getMessage(), e);
        }
    }

    /** Reads and drops the rest of a streamed reply, answering PINGs, within stream_timeout. */
    private void drainStream() throws WorkerException {
        AtomicBoolean timedOut = new AtomicBoolean();
        Duration limit = spec.streamTimeout();
        ScheduledFuture<?> watchdog = Timers.schedule(limit, () -> {
            timedOut.set(true);
            LOG.warn("worker sent no more of its streamed reply within stream_timeout; killing it", "pid", pid,
                    "stream_timeout", limit, "raise", "tcp.pool.stream_timeout");
            kill();
        });
        String stalled = "was killed: no more of its streamed reply came within stream_timeout=" + limit.toMillis() + "ms";
        try {
            Frame chunk;
            do {
                chunk = FrameCodec.read(fromWorker, spec.maxPayload());
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
            watchdog.cancel(false);
        }
    }

    /**
     * Bytes waiting on the worker's output with no request out: it wrote while idle (a stray frame, a second reply).
     * Read as the coming request's reply they would reach the wrong client, so the worker is killed first; the
     * request was not sent and goes to another worker.
     */
    private void refuseOutputBeforeRequest() throws WorkerException {
        int waiting = waitingOutput();
        if (waiting > 0) {
            throw broken(false, unsolicited(waiting, "before a request was sent") + "; the request goes to another worker",
                    null);
        }
    }

    /**
     * Bytes waiting right after a whole reply: a second reply to one request. Which frame was meant is unknowable,
     * so the request fails (its client is closed) and the worker is killed before the extra reaches anyone.
     */
    private void refuseOutputAfterReply() throws WorkerException {
        int waiting = waitingOutput();
        if (waiting > 0) {
            throw broken(true, unsolicited(waiting, "right after its reply (a second reply to one request)")
                    + "; the request fails", null);
        }
    }

    private String unsolicited(int bytes, String when) {
        return "wrote " + bytes + " bytes nobody asked for " + when + "; killed";
    }

    /** What the worker wrote that is still unread, up to 512 bytes, for an error message. */
    private byte[] unreadOutput() {
        try {
            return fromWorker.readNBytes(Math.min(512, fromWorker.available()));
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** How many bytes the worker wrote that wait unread; 0 when none or when the output is gone. */
    private int waitingOutput() {
        try {
            return fromWorker.available();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * For the pool's idle watch: the bytes an idle worker wrote that nobody asked for, or 0 (also while a request
     * holds the worker, whose own checks apply then).
     */
    int outputWhileIdle() {
        if (!exchange.tryLock()) {
            return 0;
        }
        try {
            return state == WorkerState.READY ? waitingOutput() : 0;
        } finally {
            exchange.unlock();
        }
    }

    /** Why a worker found writing while idle is killed, for the pool's log line. */
    String outputWhileIdleReason(int bytes) {
        return "worker " + pid + " " + unsolicited(bytes, "while idle");
    }

    private WorkerException broken(boolean delivered, String why, Throwable cause) {
        state = WorkerState.ERRORED;
        kill();
        return new WorkerException(WorkerException.Kind.BROKEN, pid, delivered, "worker " + pid + " " + why, cause);
    }

    /**
     * Graceful stop: the stop control frame, then up to {@code spec.stopTimeout()} for the process to exit, then SIGKILL.
     * Whatever the worker still writes (a PHP TcpWorker answers the stop with a CLOSE frame) is read and dropped.
     */
    public void stop() {
        state = WorkerState.STOPPING;
        if (exchange.tryLock()) {
            try {
                send(FrameCodec.encode(Frame.of(Frame.CONTROL | Frame.CODEC_JSON, STOP_PAYLOAD)));
                state = WorkerState.STOPPED;
            } catch (IOException e) {
                LOG.debug("stop command not delivered", "pid", pid, "error", e.getMessage());
            } finally {
                exchange.unlock();
            }
            Thread.ofVirtual().name("drain-" + pid).start(this::drainStdout);
        }
        if (!awaitExit(spec.stopTimeout())) {
            LOG.warn("worker doesn't respond on stop command, killing process", "pid", pid,
                    "destroy_timeout", spec.stopTimeout());
            kill();
        }
        closeChannel();
    }

    private void drainStdout() {
        try {
            fromWorker.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the process is gone; nothing left to drain
        }
    }

    /**
     * SIGKILL (of the worker's pid, not a group), and the relay connection closed. Through the ProcessHandle:
     * {@code Process.destroyForcibly()} also closes the pipes, and the worker's last stderr lines would be lost.
     */
    public void kill() {
        process.toHandle().destroyForcibly();
        closeChannel();
    }

    /** Waits for the process to exit; true if it did. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    @Override
    public String toString() {
        return "worker " + pid + " (" + state.statusStr() + ")";
    }

    /** Counts the bytes read through it, to tell "hung up before any reply byte" from "hung up mid-reply". */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}

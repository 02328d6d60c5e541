package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

import io.rrtcp.goridge.FrameCodec;
import io.rrtcp.goridge.FrameException;
import io.rrtcp.goridge.SocketRelayServer;
import io.rrtcp.log.Log;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * One PHP worker process: started by {@link WorkerLauncher}, its stray output logged by {@link WorkerOutputLog}, its
 * frames exchanged by {@link WorkerExchange} over a {@link WorkerChannel}. This class holds what spans them: one
 * exchange at a time, exec_ttl, the pid handshake's deadline, and stop and kill.
 */
public final class WorkerProcess implements Worker, WorkerExchange.Peer {
    private static final Log LOG = Log.get("server");

    private final Process process;
    private final long pid;
    private final WorkerSpec spec;
    private final TimeSource time;
    private final Instant created;
    private final WorkerOutputLog output;
    private WorkerChannel channel;
    private WorkerExchange exchange;
    /** One exchange at a time; also keeps the pipes open while a request still reads its last reply. */
    private final ReentrantLock exchangeLock = new ReentrantLock();
    private static final Runnable NOTHING = () -> { };
    private final AtomicLong execs = new AtomicLong();
    private final AtomicBoolean execTtlFired = new AtomicBoolean();
    private volatile WorkerState state = WorkerState.INACTIVE;
    private volatile long lastDone;
    private volatile long served;

    private WorkerProcess(Process process, WorkerSpec spec, TimeSource time) {
        this.process = process;
        this.pid = process.pid();
        this.spec = spec;
        this.time = time;
        this.created = time.now();
        this.output = new WorkerOutputLog(pid, this::awaitExit);
    }

    /** {@link #start(WorkerSpec, TimeSource)} on the system clock. */
    public static WorkerProcess start(WorkerSpec spec) throws WorkerException {
        return start(spec, TimeSource.system());
    }

    /**
     * Starts the worker and completes the pid handshake within {@code spec.startTimeout()} (over pipes) or waits for
     * it to connect to the socket relay within {@code spec.relayTimeout()}.
     *
     * @throws WorkerException of kind START_FAILED, with the worker's stderr in the message
     */
    public static WorkerProcess start(WorkerSpec spec, TimeSource time) throws WorkerException {
        WorkerProcess worker = new WorkerProcess(WorkerLauncher.launch(spec), spec, time);
        worker.output.pump(worker.process.getErrorStream(), "stderr");
        if (spec.relay().isPresent()) {
            worker.connect(spec.relay().get());
        } else {
            // held so that the pipes, closed once the process exits, stay open until the handshake's failure is told
            worker.exchangeLock.lock();
            try {
                worker.usePipes();
                worker.handshake();
            } finally {
                worker.exchangeLock.unlock();
            }
        }
        return worker;
    }

    private void usePipes() {
        channel = WorkerChannel.pipes(process);
        exchange = new WorkerExchange(this, channel, spec, time);
        if (channel.onPoller()) {
            // rr-tcp owns the descriptors: freed once the process is gone and no exchange still reads its last reply
            process.onExit().thenRun(() -> Thread.ofVirtual().name("pipes-close-" + pid).start(() -> {
                exchangeLock.lock();
                try {
                    channel.closePipes();
                } finally {
                    exchangeLock.unlock();
                }
            }));
        }
    }

    @Override
    public boolean answersSlowly() {
        WorkerChannel c = channel;
        return c == null || c.answersSlowly();
    }

    /** Whether stdin/stdout are channels on the JDK's poller (true) or the process streams (false). */
    boolean pipesOnPoller() {
        return channel.onPoller();
    }

    /**
     * Socket relay: the worker connects to rr-tcp, which has done the pid exchange by the time it hands over the
     * connection. stdin is not used; stdout is logged like stderr.
     */
    private void connect(SocketRelayServer relay) throws WorkerException {
        output.pump(process.getInputStream(), "stdout");
        try {
            process.getOutputStream().close();
            channel = WorkerChannel.socket(relay.await(pid, spec.relayTimeout(), process::isAlive));
        } catch (IOException e) {
            throw startFailure(e.getMessage(), e);
        }
        exchange = new WorkerExchange(this, channel, spec, time);
        state = WorkerState.READY;
    }

    private void handshake() throws WorkerException {
        AtomicBoolean timedOut = new AtomicBoolean();
        TimeSource.Cancellable watchdog = time.schedule(spec.startTimeout(), () -> {
            timedOut.set(true);
            kill();
        });
        String timeout = "did not answer the pid handshake within allocate_timeout=" + spec.startTimeout().toMillis() + "ms";
        try {
            long reported = exchange.handshake();
            if (reported != pid) {
                LOG.debug("worker reports another pid than the process it runs in", "pid", pid, "reported", reported);
            }
            state = WorkerState.READY;
        } catch (FrameException e) {
            throw startFailure(timedOut.get() ? timeout : "failed the pid handshake: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw startFailure(timedOut.get() ? timeout : exitedBeforeHandshake("closed its stdout"), null);
        } catch (IOException e) {
            // a worker that quit first makes our write or read fail in ways that vary by the race (broken pipe, stream
            // closed, bad descriptor): its exit is the news
            throw startFailure(timedOut.get() ? timeout : exitedBeforeHandshake(e.getMessage()), e);
        } finally {
            watchdog.cancel();
        }
    }

    /** "exited with code N before answering the pid handshake", or when it still runs, what the pipe said. */
    private String exitedBeforeHandshake(String pipeSaid) {
        if (awaitExit(Duration.ofSeconds(2))) {
            byte[] stdout = channel.unread(512);
            return "exited with code " + process.exitValue() + " before answering the pid handshake"
                    + (stdout.length == 0 ? "" : "; its stdout: " + FrameCodec.printable(stdout, new byte[0]));
        }
        return "failed the pid handshake: " + pipeSaid;
    }

    private WorkerException startFailure(String why, Throwable cause) {
        kill();
        awaitExit(Duration.ofSeconds(1));
        output.awaitEnd(Duration.ofSeconds(1)); // its last words, e.g. a PHP parse error, belong in the message
        String stderr = output.recent();
        String exit = process.isAlive() || why.startsWith("exited with code") ? "" : " (exit code " + process.exitValue() + ")";
        String message = "worker " + pid + " " + why + exit + "; command: " + String.join(" ", spec.command())
                + (stderr.isEmpty() ? "" : "; its stderr:\n" + stderr);
        return new WorkerException(WorkerException.Kind.START_FAILED, pid, false, message, cause);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Instant created() {
        return created;
    }

    @Override
    public long numExecs() {
        return execs.get();
    }

    @Override
    public long served() {
        return served;
    }

    @Override
    public long lastDone() {
        return lastDone;
    }

    @Override
    public WorkerState state() {
        return state;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void onExit(IntConsumer action) {
        process.onExit().thenAccept(p -> action.accept(p.exitValue()));
    }

    @Override
    public String recentStderr() {
        return output.recent();
    }

    @Override
    public ProcStats stats() {
        return process.isAlive() ? ProcStats.of(pid) : ProcStats.NONE;
    }

    @Override
    public Reply exec(Payload request, Duration execTtl) throws WorkerException {
        return exec(request, execTtl, NOTHING);
    }

    @Override
    public Reply exec(Payload request, Duration execTtl, Runnable afterSend) throws WorkerException {
        exchangeLock.lock();
        TimeSource.Cancellable watchdog = execWatchdog(execTtl);
        try {
            state = WorkerState.WORKING;
            execs.incrementAndGet();
            Reply reply = exchange.exec(request, afterSend);
            state = reply instanceof Reply.StopRequested ? WorkerState.INVALID : WorkerState.READY;
            if (reply instanceof Reply.Answer) {
                served++;
            }
            return reply;
        } catch (WorkerException e) {
            throw failed(e, execTtl);
        } finally {
            endExchange(watchdog);
        }
    }

    /** {@link #exec(Payload, Duration)} without exec_ttl, the reply's payload or its failure. */
    public Payload exec(Payload request) throws WorkerException {
        return exec(request, Duration.ZERO).payloadOf(pid);
    }

    @Override
    public void execClose(Payload closeEvent, Duration execTtl) throws WorkerException {
        execClose(closeEvent, execTtl, NOTHING);
    }

    @Override
    public void execClose(Payload closeEvent, Duration execTtl, Runnable afterSend) throws WorkerException {
        exchangeLock.lock();
        TimeSource.Cancellable watchdog = execWatchdog(execTtl);
        try {
            state = WorkerState.WORKING;
            execs.incrementAndGet();
            exchange.execClose(closeEvent, afterSend);
            state = WorkerState.READY;
        } catch (WorkerException e) {
            throw failed(e, execTtl);
        } finally {
            endExchange(watchdog);
        }
    }

    /** {@link #execClose(Payload, Duration)} without exec_ttl. */
    public void execClose(Payload closeEvent) throws WorkerException {
        execClose(closeEvent, Duration.ZERO);
    }

    /** Kills the worker when the request outlives exec_ttl (zero: no limit, as upstream without a supervisor). */
    private TimeSource.Cancellable execWatchdog(Duration execTtl) {
        if (execTtl.isZero()) {
            return () -> { };
        }
        return time.schedule(execTtl, () -> {
            execTtlFired.set(true);
            state = WorkerState.EXEC_TTL_REACHED;
            kill();
        });
    }

    private void endExchange(TimeSource.Cancellable watchdog) {
        watchdog.cancel();
        lastDone = time.nanoTime();
        exchangeLock.unlock();
    }

    /** The failure as the pool sees it: exec_ttl's when that killed the worker; a clean exit leaves it stopped. */
    private WorkerException failed(WorkerException e, Duration execTtl) {
        if (execTtlFired.get()) {
            state = WorkerState.EXEC_TTL_REACHED;
            return new WorkerException(WorkerException.Kind.EXEC_TTL, pid, true,
                    "worker_exec_with_timeout: ExecTTL: context deadline exceeded (worker " + pid
                            + " ran longer than exec_ttl=" + execTtl.toMillis() + "ms and was killed)", e);
        }
        if (state != WorkerState.ERRORED && !e.delivered()) {
            state = WorkerState.STOPPED; // exited with code 0 before it read the request
        }
        return e;
    }

    /**
     * Graceful stop: the stop control frame, then up to {@code spec.stopTimeout()} for the process to exit, then SIGKILL.
     * Whatever the worker still writes is read and dropped.
     */
    @Override
    public void stop() {
        state = WorkerState.STOPPING;
        if (exchangeLock.tryLock()) {
            try {
                exchange.sendStop();
                state = WorkerState.STOPPED;
            } catch (IOException e) {
                LOG.debug("stop command not delivered", "pid", pid, "error", e.getMessage());
            } finally {
                exchangeLock.unlock();
            }
            Thread.ofVirtual().name("drain-" + pid).start(exchange::drain);
        }
        if (!awaitExit(spec.stopTimeout())) {
            LOG.warn("worker doesn't respond on stop command, killing process", "pid", pid,
                    "destroy_timeout", spec.stopTimeout());
            kill();
        }
        channel.closeSocket(pid);
    }

    /**
     * SIGKILL (of the worker's pid, not a group), and the relay connection closed. Through the ProcessHandle:
     * {@code Process.destroyForcibly()} also closes the pipes, and the worker's last stderr lines would be lost.
     */
    @Override
    public void kill() {
        process.toHandle().destroyForcibly();
        if (channel != null) {
            channel.closeSocket(pid);
        }
    }

    @Override
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * For the pool's idle watch: the bytes an idle worker wrote that nobody asked for, or 0 (also while a request
     * holds the worker, whose own checks apply then).
     */
    @Override
    public int outputWhileIdle() {
        if (!exchangeLock.tryLock()) {
            return 0;
        }
        try {
            return state == WorkerState.READY ? channel.waiting() : 0;
        } finally {
            exchangeLock.unlock();
        }
    }

    /** For {@link WorkerExchange}: SIGKILL after a protocol break, and the worker marked errored. */
    @Override
    public void killBroken() {
        state = WorkerState.ERRORED;
        kill();
    }

    @Override
    public int exitCode() {
        return process.exitValue();
    }

    @Override
    public boolean execTtlFired() {
        return execTtlFired.get();
    }

    @Override
    public String toString() {
        return "worker " + pid + " (" + state.statusStr() + ")";
    }
}

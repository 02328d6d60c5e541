package io.rrtcp.tcp;

import io.rrtcp.config.TlsConfig;
import io.rrtcp.tls.ReloadingSslContext;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * TLS with the JDK's own implementation: an {@link SSLSocket} layered over the accepted socket, either at once
 * (implicit TLS) or when the worker calls {@code tcp.StartTLS}. Each handshake takes the server's current
 * {@link javax.net.ssl.SSLContext}, so a renewed certificate reaches new connections only.
 */
final class TlsTransport implements Transport {
    /** Ends handshakes that overrun {@code tls.handshake_timeout}; one thread for all servers. */
    private static final ScheduledExecutorService DEADLINES = deadlines();

    private final TlsConfig config;
    private final ReloadingSslContext contexts;

    TlsTransport(TlsConfig config, ReloadingSslContext contexts) {
        this.config = config;
        this.contexts = contexts;
    }

    @Override
    public Link open(Socket accepted) throws IOException {
        return config.startTls() ? Link.plain(accepted) : handshake(accepted, null);
    }

    @Override
    public boolean offersStartTls() {
        return config.startTls();
    }

    @Override
    public Link startTls(Socket accepted) throws IOException {
        return handshake(accepted, null);
    }

    /**
     * @param consumed bytes of the TLS stream already read from the socket (e.g. with a preamble), or null: the JDK
     *                 reads them before the socket's own
     */
    Link handshake(Socket raw, InputStream consumed) throws IOException {
        SSLSocket ssl = (SSLSocket) contexts.current().getSocketFactory().createSocket(raw, consumed, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setProtocols(config.protocols().toArray(String[]::new));
        params.setNeedClientAuth(contexts.verifiesClients());
        ssl.setSSLParameters(params);
        long timeoutMs = config.handshakeTimeout().toMillis();
        // each read is bounded by the socket timeout; the whole handshake (a client trickling bytes) by the deadline
        int readTimeoutBefore = raw.getSoTimeout();
        raw.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            closeQuietly(raw);
        }, timeoutMs, TimeUnit.MILLISECONDS);
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            if (expired.get() || timedOut(e)) {
                throw new LimitExceededException("tls.handshake_timeout", "the TLS handshake was not complete within "
                        + timeoutMs + "ms");
            }
            throw new TlsHandshakeException(e.getMessage(), e);
        } finally {
            deadline.cancel(false);
        }
        raw.setSoTimeout(readTimeoutBefore); // reads after the handshake follow the connection's own limits
        return new Link(ssl, ssl.getInputStream(), ssl.getOutputStream(), Optional.of(TlsFacts.of(ssl.getSession())));
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the handshake fails on its own then
        }
    }

    private static ScheduledExecutorService deadlines() {
        ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "rr-tcp-tls-handshake-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a million finished handshakes must not leave a million cancelled tasks
        return timer;
    }
}

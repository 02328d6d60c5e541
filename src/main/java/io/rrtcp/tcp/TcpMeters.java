package io.rrtcp.tcp;

/** Gives each configured server its {@link ServerMeter}; looked up once per server when the listeners start. */
@FunctionalInterface
public interface TcpMeters {
    TcpMeters NONE = server -> ServerMeter.NONE;

    ServerMeter server(String name);
}

package core.llm.gateway;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import core.llm.providers.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A clustered Vertx for {@code gateway.cluster}: Hazelcast embedded in the process, members found
 * over TCP (never multicast, which most networks and containers drop), so the same settings work
 * for three instances on one machine and across hosts.
 */
public final class ClusterVertx {
  /** Ports tried above {@code port} when no members are listed: ten instances on one machine. */
  static final int LOCAL_PORTS = 10;

  /**
   * Hazelcast's own INFO lines (joins, partition tables, dozens at each start) held back: the
   * gateway logs what a member's coming and going means for routing. Kept here so the setting stays
   * (java.util.logging holds loggers weakly).
   */
  private static final java.util.logging.Logger HAZELCAST_LOG =
      java.util.logging.Logger.getLogger("com.hazelcast");

  private ClusterVertx() {}

  /**
   * Starts a Vertx that joins the cluster {@code cluster} describes (alone if no member answers).
   * Blocking work happens on Hazelcast's own threads; the future completes once joined.
   */
  public static Future<Vertx> start(GatewayConfig.Cluster cluster, VertxOptions options) {
    if (HAZELCAST_LOG.getLevel() == null) {
      HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
    }
    VertxOptions o = options == null ? new VertxOptions() : new VertxOptions(options);
    // the event bus between members binds the same address as the cluster's traffic
    o.getEventBusOptions().setHost(cluster.host()).setPort(0);
    return Vertx.builder()
        .with(o)
        .withClusterManager(new HazelcastClusterManager(hazelcast(cluster)))
        .buildClustered();
  }

  static Config hazelcast(GatewayConfig.Cluster cluster) {
    Config config = ConfigUtil.loadConfig(); // the maps Vert.x's event bus needs
    config.setClusterName(cluster.name());
    // logs through java.util.logging like the program; no phone-home; Vert.x's close leaves the
    // cluster, so Hazelcast's own shutdown hook would only race it
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    // a member that vanishes (killed, cut off) is dropped after seconds, not Hazelcast's 60
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(LOCAL_PORTS);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    if (cluster.members().isEmpty()) {
      tcp.addMember(cluster.host()); // no port: Hazelcast tries the whole port range there
    } else {
      cluster.members().forEach(tcp::addMember);
    }
    return config;
  }
}

// Launcher starts an embedded Neo4j DBMS for the Go package cobuild/neo4jlocal.
//
// Usage: java -cp <jars>:<launcher dir> Launcher <home> <bolt port> <page cache>
// The password of user "neo4j" is read from the environment variable
// COBUILD_NEO4J_PASSWORD so that it never shows up in a process listing.
//
// Protocol with the Go parent:
//   - stdout gets exactly one line "COBUILD-NEO4J-READY <port>" once Bolt
//     accepts connections, or "COBUILD-NEO4J-ERROR <message>" if the start failed;
//   - all logs go to stderr;
//   - when stdin reaches EOF (the parent closed it or died) the DBMS is shut
//     down and the JVM exits; SIGTERM does the same through a shutdown hook;
//   - exit status 3 means the data directory is locked by another instance.

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.internal.kernel.api.security.LoginContext;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;
import org.neo4j.server.security.auth.LegacyCredential;

public final class Launcher {
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_LOCKED = 3;

    private static final Object LOCK = new Object();
    private static DatabaseManagementService service; // guarded by LOCK
    private static boolean stopping; // guarded by LOCK

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            fail(EXIT_USAGE, "usage: Launcher <home> <bolt port> <page cache>");
        }
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        int port;
        long pageCache;
        try {
            port = Integer.parseInt(args[1]);
            pageCache = ByteUnit.parse(args[2]);
        } catch (RuntimeException e) {
            fail(EXIT_USAGE, "bad argument: " + e.getMessage());
            return;
        }
        String password = System.getenv("COBUILD_NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            fail(EXIT_USAGE, "environment variable COBUILD_NEO4J_PASSWORD is not set");
        }

        try {
            writeInitialPassword(home, password);
        } catch (Exception e) {
            e.printStackTrace();
            fail(EXIT_FAILED, "write initial password: " + describe(e));
        }

        Runtime.getRuntime().addShutdownHook(new Thread(Launcher::shutdown, "cobuild-neo4j-shutdown"));
        watchStdin();

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(new Log4jLogProvider(System.err))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // Bolt waits 2 x 5 s at shutdown by default; a local server need not.
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .build();
        } catch (Throwable t) {
            t.printStackTrace();
            Throwable lock = lockError(t);
            if (lock != null) {
                fail(EXIT_LOCKED, describe(lock));
            }
            fail(EXIT_FAILED, "start DBMS: " + describe(t));
            return;
        }
        synchronized (LOCK) {
            if (stopping) {
                dbms.shutdown();
                return;
            }
            service = dbms;
        }

        int boundPort;
        try {
            setPassword((GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            Files.deleteIfExists(CommunitySecurityModule.getInitialUserRepositoryFile(
                    Config.defaults(GraphDatabaseSettings.neo4j_home, home))); // used up, holds a hash
            boundPort = boltPort(dbms, port);
            waitForBolt(boundPort);
        } catch (Throwable t) {
            t.printStackTrace();
            fail(EXIT_FAILED, describe(t));
            return;
        }
        System.out.println("COBUILD-NEO4J-READY " + boundPort);
        System.out.flush();
        new CountDownLatch(1).await(); // run until stdin EOF or a signal calls System.exit
    }

    /**
     * Before the first start of a DBMS in home, writes the initial password of
     * user neo4j the way "neo4j-admin dbms set-initial-password" does, so that
     * no slow Cypher administration command is needed at start.
     */
    private static void writeInitialPassword(Path home, String password) throws Exception {
        Config config = Config.defaults(GraphDatabaseSettings.neo4j_home, home);
        Path systemDb = config.get(GraphDatabaseSettings.data_directory)
                .resolve("databases").resolve(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        if (Files.exists(systemDb)) {
            return; // initial passwords only apply to a new DBMS
        }
        Path file = CommunitySecurityModule.getInitialUserRepositoryFile(config);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        FileUserRepository users = new FileUserRepository(
                new DefaultFileSystemAbstraction(), file, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
        users.start();
        users.create(new User(AuthManager.INITIAL_USER_NAME, null, LegacyCredential.forPassword(password), false, false));
        users.shutdown();
    }

    /** Reports whether user neo4j can log in with password, without Cypher. */
    private static boolean canLogIn(GraphDatabaseAPI system, String password) throws Exception {
        AuthManager auth = system.getDependencyResolver().resolveDependency(AuthManager.class);
        LoginContext login = auth.login(
                Map.of("scheme", "basic",
                        "principal", AuthManager.INITIAL_USER_NAME,
                        "credentials", password.getBytes(StandardCharsets.UTF_8)),
                ClientConnectionInfo.EMBEDDED_CONNECTION);
        return login.subject().getAuthenticationResult() == AuthenticationResult.SUCCESS;
    }

    /** Sets the password of user neo4j unless it already is the wanted one. */
    private static void setPassword(GraphDatabaseAPI system, String password) throws Exception {
        if (canLogIn(system, password)) {
            return;
        }
        System.err.println("cobuild launcher: setting the password of user neo4j");
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        } catch (RuntimeException e) {
            if (describe(e).contains("Old password and new password cannot be the same")) {
                // Already set by an earlier run, and CHANGE NOT REQUIRED was set with it.
                return;
            }
            throw new IllegalStateException("set password of user neo4j: " + describe(e), e);
        }
    }

    /** Returns the port Bolt is bound to (resolves port 0 to the one the OS picked). */
    private static int boltPort(DatabaseManagementService dbms, int configured) {
        GraphDatabaseAPI api = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        ConnectorPortRegister ports = api.getDependencyResolver().resolveDependency(ConnectorPortRegister.class);
        HostnamePort address = ports.getLocalAddress(ConnectorType.BOLT);
        if (address == null) {
            if (configured != 0) {
                return configured;
            }
            throw new IllegalStateException("Bolt connector did not register a port");
        }
        return address.getPort();
    }

    /** Waits until a TCP connection to Bolt succeeds. */
    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Bolt does not accept connections on port " + port + ": " + last);
    }

    /** Exits the JVM (running the shutdown hook) once stdin reaches EOF. */
    private static void watchStdin() {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[256];
            try {
                InputStream in = System.in;
                while (in.read(buf) >= 0) {
                    // Ignore input; only EOF matters.
                }
            } catch (IOException e) {
                // Treat a broken stdin like EOF.
            }
            System.err.println("cobuild launcher: stdin closed, shutting down");
            System.exit(0);
        }, "cobuild-neo4j-stdin");
        t.setDaemon(true);
        t.start();
    }

    private static void shutdown() {
        DatabaseManagementService dbms;
        synchronized (LOCK) {
            stopping = true;
            dbms = service;
            service = null;
        }
        if (dbms != null) {
            dbms.shutdown();
            System.err.println("cobuild launcher: DBMS shut down");
        }
    }

    /** Returns the cause saying that another process holds the store lock, or null. */
    private static Throwable lockError(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 10; c = c.getCause(), depth++) {
            String name = c.getClass().getSimpleName();
            if (name.equals("FileLockException") || name.equals("StoreLockException")) {
                return c;
            }
        }
        return null;
    }

    /** Joins the messages of a throwable and its causes. */
    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 10; c = c.getCause(), depth++) {
            String msg = c.getMessage() != null ? c.getMessage() : c.getClass().getName();
            if (sb.indexOf(msg) >= 0) {
                continue; // wrappers often repeat the message of their cause
            }
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(msg);
        }
        return sb.toString().replace('\n', ' ');
    }

    private static void fail(int status, String message) {
        System.out.println("COBUILD-NEO4J-ERROR " + message);
        System.out.flush();
        System.exit(status);
    }
}

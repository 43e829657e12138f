package org.carbonledger.server;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import sun.misc.Signal;

/** ServeCommand runs the registry server until SIGTERM or SIGINT, then shuts it down cleanly and exits 0. */
final class ServeCommand implements Command {

  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String usage() {
    return "serve [OPTIONS]";
  }

  @Override
  public String summary() {
    return "run the registry server (GraphQL, GraphiQL, the log's read API, health)";
  }

  @Override
  public List<Options.Option> options() {
    return ServerConfig.OPTIONS;
  }

  @Override
  public int run(Options options) throws Exception {
    ServerConfig config = ServerConfig.from(options);
    RegistryServer server = RegistryServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop = () -> {
      if (!stopping.compareAndSet(false, true)) {
        return; // a second signal while stopping changes nothing
      }
      LOG.info("server.stopping reason=signal");
      try {
        server.close();
      } finally {
        stopped.countDown(); // even if closing failed, the process must still exit
      }
    };
    // A signal handler, not a shutdown hook: the hook would run too, but the exit code would be 143, not 0.
    Signal.handle(new Signal("TERM"), signal -> new Thread(stop, "shutdown").start());
    Signal.handle(new Signal("INT"), signal -> new Thread(stop, "shutdown").start());
    stopped.await();
    LOG.info("server.stopped");
    return 0;
  }
}

package org.carbonledger.verify;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.TileId;

/**
 * MemorySource serves a published map from memory, as a log would over HTTP: a missing path is a 404. It
 * records the paths asked for, so tests can check that the verifier read every tile.
 */
class MemorySource implements LogSource {

  static final String URL = "mem:/log";

  private final Map<String, byte[]> resources;
  final Set<String> fetched = ConcurrentHashMap.newKeySet();

  MemorySource(Map<String, byte[]> resources) {
    this.resources = Map.copyOf(resources);
  }

  @Override
  public byte[] checkpoint() throws FetchException {
    return get("checkpoint");
  }

  @Override
  public byte[] tile(TileId id) throws FetchException {
    return get(id.path());
  }

  @Override
  public byte[] entryBundle(BundleId id) throws FetchException {
    return get(id.path());
  }

  @Override
  public byte[] key() throws FetchException {
    return get("key");
  }

  private byte[] get(String path) throws FetchException {
    fetched.add(path);
    byte[] body = resources.get(path);
    if (body == null) {
      throw new FetchException(URL + "/" + path, "HTTP 404");
    }
    return body.clone();
  }
}

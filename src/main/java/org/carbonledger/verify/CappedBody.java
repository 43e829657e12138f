package org.carbonledger.verify;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * CappedBody collects a response body of at most {@code bytesMax} bytes and fails with a FetchException as soon
 * as the server declares or sends more, so a hostile or broken server cannot exhaust the verifier's memory.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

  private final String url;
  private final long bytesMax;
  private final long declaredBytes;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  /** @param declaredBytes the Content-Length, or -1 when the server sent none */
  CappedBody(String url, long bytesMax, long declaredBytes) {
    this.url = url;
    this.bytesMax = bytesMax;
    this.declaredBytes = declaredBytes;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (declaredBytes > bytesMax) {
      tooLarge(declaredBytes);
      return;
    }
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return; // cancelled after the cap; the client may still deliver what was in flight
    }
    for (ByteBuffer buffer : buffers) {
      long total = (long) body.size() + buffer.remaining();
      if (total > bytesMax) {
        tooLarge(total);
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      body.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable failure) {
    result.completeExceptionally(failure);
  }

  @Override
  public void onComplete() {
    result.complete(body.toByteArray());
  }

  private void tooLarge(long bytes) {
    subscription.cancel();
    result.completeExceptionally(new FetchException(url,
        "response exceeds the cap of " + bytesMax + " bytes (" + bytes + " or more)"));
  }
}

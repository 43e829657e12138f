package org.carbonledger.verify;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.NoteVerifier;
import org.carbonledger.ledger.SignedNote;

/**
 * StateFile keeps the signed checkpoint of the last successful run, verbatim, so that the next run can check
 * that the log only grew. It is re-verified with the key on every load, so a state file cannot vouch for more
 * than the log signed. Saving writes a temporary file beside it, forces it to disk and renames it over the old
 * one: a crash leaves the old checkpoint or the new one, never half of one.
 */
public final class StateFile {

  /** Largest state file read; it holds one signed note. */
  static final int BYTES_MAX = SignedNote.SIZE_MAX_BYTES;

  private final Path file;

  public StateFile(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  public Path path() {
    return file;
  }

  /** The saved checkpoint, verified with key, or empty when there is no file yet (the first run). */
  Optional<Checkpoint> load(NoteVerifier key) throws VerificationException {
    byte[] note;
    try {
      note = BoundedFile.read(file, BYTES_MAX);
    } catch (BoundedFile.TooLargeException e) {
      throw unreadable("larger than " + BYTES_MAX + " bytes, so it is no checkpoint", e);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw unreadable("cannot read it: " + HttpLogSource.reason(e), e);
    }
    try {
      return Optional.of(Checkpoints.open(note, key, "checkpoint"));
    } catch (VerificationException e) {
      throw unreadable(e.getMessage(), e);
    }
  }

  /** Replaces the saved checkpoint with signedNote, atomically. */
  void save(String signedNote) throws VerificationException {
    Path directory = file.getParent();
    Path temporary = null;
    try {
      temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
      Files.writeString(temporary, signedNote, StandardCharsets.UTF_8);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      move(temporary);
      temporary = null;
    } catch (IOException e) {
      throw new VerificationException(VerificationException.Code.STATE_NOT_SAVED,
          "state: cannot save " + file + ": " + HttpLogSource.reason(e), e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  private void move(Path temporary) throws IOException {
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      // Some file systems cannot rename atomically; replacing is the best they offer.
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path temporary) {
    if (temporary == null) {
      return;
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // Only a stray temporary file is left behind; the failure that brought us here is what matters.
    }
  }

  private VerificationException unreadable(String detail, Throwable cause) {
    return new VerificationException(VerificationException.Code.STATE_UNREADABLE, "state: " + file + ": " + detail,
        cause);
  }
}

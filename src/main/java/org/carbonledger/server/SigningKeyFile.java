package org.carbonledger.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;
import java.util.logging.Logger;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteSigner;
import org.carbonledger.store.OwnerOnlyFile;

/**
 * SigningKeyFile loads the log's Ed25519 signing key, or generates it on first start. The file holds one
 * line in the private-key form of Go's golang.org/x/mod/sumdb/note ({@code PRIVATE+KEY+<name>+<hexid>+
 * <base64(0x01 || 32-byte seed)>}), so keys move between our tools and the Go ecosystem's. The name in the
 * key must be the log's origin. Nothing here ever prints the key itself.
 */
final class SigningKeyFile {

  private static final Logger LOG = Logger.getLogger(SigningKeyFile.class.getName());

  private SigningKeyFile() {}

  /** Loads the key at {@code file}; when {@code generateIfMissing} and there is no file, creates one first. */
  static NoteSigner load(Path file, String origin, boolean generateIfMissing) {
    if (!Files.exists(file)) {
      if (!generateIfMissing) {
        throw new ConfigException("signing key file " + file + " does not exist");
      }
      generate(file, origin);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (AccessDeniedException e) {
      throw new ConfigException("signing key file " + file + " is not readable by this user");
    } catch (NoSuchFileException e) {
      throw new ConfigException("signing key file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read signing key file " + file + ": " + e.getMessage());
    }
    warnIfOthersCanRead(file);
    return parse(text, file, origin);
  }

  static NoteSigner parse(String text, Path file, String origin) {
    NoteSigner signer;
    try {
      signer = NoteSigner.parse(text);
    } catch (LedgerException e) {
      throw new ConfigException("signing key file " + file + " is not a valid PRIVATE+KEY+<name>+<hexid>+<base64> key: " + e.detail());
    }
    if (!signer.name().equals(origin)) {
      throw new ConfigException("signing key file " + file + " holds the key of '" + signer.name()
          + "', not of the log's origin '" + origin + "'");
    }
    return signer;
  }

  /** The file's contents for a key: one line, as Go's note.GenerateKey writes it. */
  static String format(String origin, byte[] seed) {
    return NoteSigner.encodePrivateKey(origin, seed) + "\n";
  }

  /** Writes a new key readable only by its owner (OwnerOnlyFile: atomic, and no temporary file left on failure). */
  private static void generate(Path file, String origin) {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    try {
      OwnerOnlyFile.write(file, format(origin, seed));
    } catch (IOException e) {
      throw new ConfigException("cannot create signing key file " + file + ": " + e.getMessage());
    } catch (LedgerException e) {
      throw new ConfigException("cannot create a signing key named '" + origin + "': " + e.detail());
    } finally {
      java.util.Arrays.fill(seed, (byte) 0);
    }
    LOG.info("ledger.signing_key_generated file=" + file);
  }

  private static void warnIfOthersCanRead(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warning("ledger.signing_key_exposed file=" + file + " advice=\"chmod 600: others can read the log's signing key\"");
      }
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: nothing to check.
    }
  }
}

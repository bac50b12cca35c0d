/** Bounds on what one socket may send for documents whose authentication has not returned yet. */
export interface BeforeAuthLimits {
  /** Messages for one document. */
  messagesPerDocument: number;
  /** Documents waiting at once. */
  documents: number;
  /** Bytes of all waiting documents together. */
  bytes: number;
}

/**
 * What one socket sent for documents still waiting for authentication. Hocuspocus queues those messages without
 * a bound until `onAuthenticate` returns, so each socket's queue is bounded here, per document (a studio sends a
 * document's auth, sync step and presence together, for every document of its workspace on the one socket) and
 * in total. An authenticated document's share is given back.
 */
export class WaitingForAuth {
  private readonly perDocument = new Map<string, { messages: number; bytes: number }>();
  private bytes = 0;

  constructor(private readonly limits: BeforeAuthLimits) {}

  /** Counts one message; returns the close reason when it is over a limit. */
  add(documentName: string, bytes: number): string | undefined {
    let entry = this.perDocument.get(documentName);
    if (!entry) {
      if (this.perDocument.size >= this.limits.documents) return 'too many documents waiting for authentication';
      entry = { messages: 0, bytes: 0 };
      this.perDocument.set(documentName, entry);
    }
    entry.messages += 1;
    entry.bytes += bytes;
    this.bytes += bytes;
    if (entry.messages > this.limits.messagesPerDocument) return 'too many messages before authentication';
    if (this.bytes > this.limits.bytes) return 'too many bytes before authentication';
    return undefined;
  }

  /** The document was authenticated: Hocuspocus has handed its queue on. */
  release(documentName: string): void {
    const entry = this.perDocument.get(documentName);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.perDocument.delete(documentName);
  }

  get waitingDocuments(): number {
    return this.perDocument.size;
  }
}

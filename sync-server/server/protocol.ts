// The protocol lives in shared/ (the studio's sync client speaks it too); the server's files import it from here.
export * from '../../shared/sync/protocol';

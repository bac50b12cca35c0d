import type { ReactNode } from 'react';
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import { useApi } from '../api';
import { notifyError } from '../notices/notices';
import { matchesShortcut } from './shortcuts';
import type { Command } from './types';

/**
 * The studio's commands: screens register what makes sense while they are shown, and the palette, the help
 * screen, keyboard shortcuts and the desktop menu (`app:command` events) all read this one list.
 *
 * Registrations stack: when two mounted screens register the same id, the one registered last wins until it
 * unmounts (a screen can override a global command, e.g. the editor's own "New prompt").
 */
export class CommandRegistry {
  private entries: { token: number; command: Command }[] = [];
  private nextToken = 1;
  private snapshot: Command[] = [];
  private readonly listeners = new Set<() => void>();

  /** Adds commands; returns the function that removes exactly these registrations. */
  register(commands: readonly Command[]): () => void {
    const tokens = commands.map((command) => {
      const token = this.nextToken++;
      this.entries.push({ token, command });
      return token;
    });
    this.changed();
    return () => {
      const gone = new Set(tokens);
      this.entries = this.entries.filter((e) => !gone.has(e.token));
      this.changed();
    };
  }

  /** Every command, one per id (the latest registration), in registration order. */
  all(): Command[] {
    return this.snapshot;
  }

  get(id: string): Command | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (entry && entry.command.id === id) return entry.command;
    }
    return undefined;
  }

  /** Runs a command by id; false when no such command is registered. Failures become notices, never throws. */
  run(id: string): boolean {
    const command = this.get(id);
    if (!command) return false;
    try {
      const result = command.run();
      if (result instanceof Promise) result.catch((err: unknown) => notifyError(err, command.title));
    } catch (err) {
      notifyError(err, command.title);
    }
    return true;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    const byId = new Map<string, Command>();
    for (const { command } of this.entries) {
      byId.delete(command.id); // keep the latest registration's position too
      byId.set(command.id, command);
    }
    this.snapshot = [...byId.values()];
    for (const listener of this.listeners) listener();
  }
}

/** The registry of the running studio; `runCommand` reaches it from anywhere (menus, tests, other helpers). */
export const commandRegistry = new CommandRegistry();

const RegistryContext = createContext<CommandRegistry>(commandRegistry);

export function isMacPlatform(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** Runs a registered command by id; returns false if none is registered under that id. */
export function runCommand(id: string): boolean {
  return commandRegistry.run(id);
}

/**
 * Installs the one global key handler and listens for `app:command` events. The handler listens in the
 * capture phase on window so it sees keys before Monaco (which claims Ctrl+K as a chord prefix), and only
 * swallows a key when a registered command takes it.
 */
export function CommandsProvider({
  children,
  registry = commandRegistry,
}: {
  children: ReactNode;
  registry?: CommandRegistry;
}) {
  const api = useApi();

  useEffect(() => {
    const mac = isMacPlatform();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const editable = isEditable(event.target);
      for (const command of registry.all()) {
        if (!command.shortcut || !matchesShortcut(event, command.shortcut, mac)) continue;
        // A bare key (no Mod/Ctrl/Alt) must not steal typing from a text field.
        if (editable && !/\b(Mod|Ctrl|Alt|Meta)\+/.test(command.shortcut) && !/^(Shift\+)?F\d+$/.test(command.shortcut))
          continue;
        event.preventDefault();
        event.stopPropagation();
        registry.run(command.id);
        return;
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [registry]);

  useEffect(
    () =>
      api.on('app:command', ({ command }) => {
        if (!registry.run(command)) notifyError(new Error(`No command named "${command}" is available here.`));
      }),
    [api, registry],
  );

  return <RegistryContext.Provider value={registry}>{children}</RegistryContext.Provider>;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.tagName === 'INPUT' ||
    target.tagName === 'TEXTAREA' ||
    target.tagName === 'SELECT'
  );
}

/**
 * Registers commands while the calling component is mounted. `deps` as for useMemo: the commands are
 * re-registered when they change (closures over the screen's state).
 */
export function useCommands(commands: Command[], deps: readonly unknown[]): void {
  const registry = useContext(RegistryContext);
  // The caller owns the dependency list, as with useMemo itself.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stable = useMemo(() => commands, deps);
  useEffect(() => registry.register(stable), [registry, stable]);
}

/** Every registered command; re-renders when registrations change. */
export function useAllCommands(): Command[] {
  const registry = useContext(RegistryContext);
  return useSyncExternalStore(registry.subscribe, () => registry.all());
}

/** The registry itself (for `run` inside components rendered under a custom provider, e.g. in tests). */
export function useCommandRegistry(): CommandRegistry {
  return useContext(RegistryContext);
}

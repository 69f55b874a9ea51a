/** One WebSocket to /ws per signed-in browser tab, with reconnect, backoff and topic re-subscription. */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";

export type SocketState = "connecting" | "live" | "offline";

export interface SocketMessage {
  type: string;
  [field: string]: unknown;
}

type MessageListener = (message: SocketMessage) => void;
type StateListener = (state: SocketState) => void;

const BACKOFF_START_MS = 1000;
const BACKOFF_MAX_MS = 10000;
const PING_INTERVAL_MS = 30000;
/** Close codes the server uses when the connection is not authenticated. */
const UNAUTHORIZED_CODES = new Set([4401, 4403]);

export function socketUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}/ws`;
}

export class LiveSocket {
  private ws: WebSocket | null = null;
  private state: SocketState = "connecting";
  private stopped = true;
  private delay = BACKOFF_START_MS;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private everConnected = false;
  private readonly topics = new Map<string, number>();
  private readonly messageListeners = new Set<MessageListener>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly reconnectListeners = new Set<() => void>();
  /** True after the first successful connection was lost: visible as "reconnecting". */
  reconnecting = false;
  onUnauthorized: (() => void) | null = null;

  getState(): SocketState {
    return this.state;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onclose = ws.onerror = ws.onmessage = null;
      ws.close(1000);
    }
    this.setState("offline");
  }

  send(message: SocketMessage): boolean {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  /** Subscribe to a server topic (e.g. "system.stats"); kept across reconnects. Returns the undo. */
  subscribe(topic: string): () => void {
    const count = this.topics.get(topic) ?? 0;
    this.topics.set(topic, count + 1);
    if (count === 0) this.send({ type: "subscribe", topic });
    return () => {
      const left = (this.topics.get(topic) ?? 1) - 1;
      if (left > 0) {
        this.topics.set(topic, left);
      } else {
        this.topics.delete(topic);
        this.send({ type: "unsubscribe", topic });
      }
    };
  }

  addMessageListener(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  addStateListener(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Called each time the socket opens again after having been lost. */
  addReconnectListener(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  private setState(state: SocketState): void {
    if (state === this.state) return;
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState("connecting");
    let ws: WebSocket;
    try {
      ws = new WebSocket(socketUrl());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      const wasReconnect = this.everConnected;
      this.everConnected = true;
      this.reconnecting = false;
      this.delay = BACKOFF_START_MS;
      for (const topic of this.topics.keys()) this.send({ type: "subscribe", topic });
      window.clearInterval(this.pingTimer);
      this.pingTimer = window.setInterval(() => this.send({ type: "ping" }), PING_INTERVAL_MS);
      this.setState("live");
      if (wasReconnect) this.reconnectListeners.forEach((listener) => listener());
    };
    ws.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== "string") return;
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!message || typeof message !== "object" || typeof (message as SocketMessage).type !== "string") return;
      this.messageListeners.forEach((listener) => listener(message as SocketMessage));
    };
    ws.onerror = () => {
      // onclose follows and handles the retry.
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      window.clearInterval(this.pingTimer);
      if (this.everConnected) this.reconnecting = true;
      if (UNAUTHORIZED_CODES.has(event.code) && this.onUnauthorized) this.onUnauthorized();
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.setState("offline");
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, BACKOFF_MAX_MS);
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }
}

const SocketContext = createContext<LiveSocket | null>(null);

export function SocketProvider({ children, onUnauthorized }: { children: ReactNode; onUnauthorized?: () => void }) {
  const [socket] = useState(() => new LiveSocket());
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;

  useEffect(() => {
    socket.onUnauthorized = () => unauthorized.current?.();
    socket.start();
    return () => socket.stop();
  }, [socket]);

  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

export function useSocket(): LiveSocket {
  const socket = useContext(SocketContext);
  if (!socket) throw new Error("useSocket must be used inside <SocketProvider>");
  return socket;
}

export function useSocketState(): { state: SocketState; reconnecting: boolean } {
  const socket = useSocket();
  const [state, setState] = useState<SocketState>(socket.getState());
  useEffect(() => {
    setState(socket.getState());
    return socket.addStateListener(setState);
  }, [socket]);
  return { state, reconnecting: socket.reconnecting };
}

/** Calls the latest `handler` for every message; the handler may change between renders. */
export function useSocketMessages(handler: MessageListener): void {
  const socket = useSocket();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => socket.addMessageListener((message) => ref.current(message)), [socket]);
}

export function useSocketTopic(topic: string): void {
  const socket = useSocket();
  useEffect(() => socket.subscribe(topic), [socket, topic]);
}

export function useSocketReconnect(handler: () => void): void {
  const socket = useSocket();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => socket.addReconnectListener(() => ref.current()), [socket]);
}

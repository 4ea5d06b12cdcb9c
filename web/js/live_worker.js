// live_worker.js: a shared worker that holds one Server-Sent Events stream
// (GET /v1/events) per account and set of kinds for every tab of the page.
// A browser opens at most six connections to one server: a stream in each
// tab would soon take them all, and the page would stop loading.  Tabs talk
// to it through their port (live.js):
//   tab -> worker  {op: 'open', token, kinds, after}   {op: 'close'}
//   worker -> tab  {event}
// The worker reconnects by itself: EventSource after a dropped connection,
// the worker after the daemon refused or closed the stream (from the last
// event).  It keeps each stream's recent events, so that a tab that joins
// a stream already open misses none after its own `after`.

const RETRY_MS = 2000;
const KEEP = 200;
const streams = new Map();      // key -> { key, url, es, ports, last, recent, retry }

function connect(s) {
  const q = new URLSearchParams(s.query);
  if (s.last > 0) q.set('after', String(s.last));
  s.es = new EventSource('/v1/events?' + q.toString());
  s.es.onmessage = null;
  const onFrame = (m) => {
    let ev;
    try { ev = JSON.parse(m.data); } catch (e) { return; }
    if (ev.id <= s.last) return;
    s.last = ev.id;
    s.recent.push(ev);
    if (s.recent.length > KEEP) s.recent.shift();
    for (const p of s.ports) p.postMessage({ event: ev });
  };
  for (const k of s.kinds) s.es.addEventListener(k, onFrame);
  s.es.onerror = () => {
    if (s.es.readyState !== EventSource.CLOSED) return;
    s.es.close();
    s.es = null;
    if (s.ports.size && !s.retry) s.retry = setTimeout(() => { s.retry = null; if (s.ports.size) connect(s); }, RETRY_MS);
  };
}

function leave(port) {
  for (const s of streams.values()) {
    if (!s.ports.delete(port) || s.ports.size) continue;
    if (s.es) s.es.close();
    clearTimeout(s.retry);
    streams.delete(s.key);
  }
}

self.onconnect = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => {
    const d = m.data || {};
    leave(port);
    if (d.op !== 'open') return;
    const key = d.token + ' ' + d.kinds.join(',');
    let s = streams.get(key);
    if (!s) {
      const query = { access_token: d.token };
      if (d.filter) query.kinds = d.kinds.join(',');
      s = { key, query, kinds: d.kinds, es: null, ports: new Set(), last: d.after || 0, recent: [], retry: null };
      streams.set(key, s);
      connect(s);
    } else {
      for (const ev of s.recent) if (ev.id > (d.after || 0)) port.postMessage({ event: ev });
    }
    s.ports.add(port);
  };
  port.start();
};

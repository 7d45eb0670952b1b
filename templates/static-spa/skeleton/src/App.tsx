import { useState } from 'react';

/** `title`: the app's display name, from the page's <title>. */
export function App({ title }: { title: string }) {
  const [count, setCount] = useState(0);
  return (
    <main className="app">
      <h1>{title}</h1>
      <p>
        Edit <code>src/App.tsx</code> to build your app. The page runs under a
        strict Content Security Policy: scripts and styles come only from this
        site, never inline.
      </p>
      <button type="button" onClick={() => setCount(value => value + 1)}>
        Clicked {count} {count === 1 ? 'time' : 'times'}
      </button>
    </main>
  );
}

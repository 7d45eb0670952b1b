// Runs under the app's Content Security Policy: an external script from our own origin, no
// inline code. Text goes into the page with textContent, never innerHTML.
const status = document.getElementById('status');
const login = document.getElementById('login');
const logout = document.getElementById('logout');

async function showUser() {
  const res = await fetch('/me', { credentials: 'same-origin' });
  if (res.ok) {
    const user = await res.json();
    status.textContent = `Signed in as ${user.name ?? user.email ?? user.sub}.`;
    logout.hidden = false;
  } else {
    status.textContent = 'You are not signed in.';
    login.hidden = false;
  }
}

logout.addEventListener('click', async () => {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' });
  window.location.reload();
});

showUser().catch(() => {
  status.textContent = 'Could not reach the app.';
});

// Upload → live status (Server-Sent Events) → download links. No framework, no inline script.
const statusEl = document.getElementById('status');
const links = document.getElementById('links');
const labels = { pending: 'Na fila…', processing: 'Processando…', completed: 'Pronto!', failed: 'Falhou' };
let csrf = null;

function show(text, isError) {
  statusEl.textContent = text;
  statusEl.className = isError ? 'error' : '';
}

async function session() {
  const r = await fetch('/api/v1/session', { credentials: 'same-origin' });
  csrf = (await r.json()).csrf_token;
}

function follow(job) {
  const base = '/api/v1/bank-statements/jobs/' + job.id;
  const events = new EventSource(base + '/status');
  events.onmessage = (e) => {
    const j = JSON.parse(e.data);
    let text = labels[j.status] || j.status;
    if (j.status === 'completed') text += ' ' + j.transactions + ' lançamentos' + (j.bank_name ? ' — ' + j.bank_name : '');
    if (j.status === 'failed') text += ': ' + (j.error || '');
    show(text, j.status === 'failed');
    if (j.status === 'completed' || j.status === 'failed') events.close();
    if (j.status === 'completed') {
      document.getElementById('csv').href = base + '/download';
      document.getElementById('excel').href = base + '/download?style=excel-br';
      document.getElementById('json').href = base + '/download?format=json';
      links.hidden = false;
    }
  };
  events.onerror = () => events.close();
}

document.getElementById('upload').addEventListener('submit', async (e) => {
  e.preventDefault();
  links.hidden = true;
  const file = document.getElementById('file').files[0];
  if (!file) return;
  try {
    if (!csrf) await session();
    const form = new FormData();
    form.append('file', file);
    show('Enviando…');
    const r = await fetch('/api/v1/files/upload', {
      method: 'POST', body: form, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } });
    const body = await r.json();
    if (!r.ok) return show(body.error ? body.error.message : 'Erro ' + r.status, true);
    follow(body.job);
  } catch (err) {
    show('Erro de rede: ' + err, true);
  }
});

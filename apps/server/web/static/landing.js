// Lists the supported banks from the API (the static text stays when the request fails).
fetch('/api/v1/banks').then(r => r.ok ? r.json() : Promise.reject(r.status)).then(banks => {
  const list = document.getElementById('banks');
  list.textContent = '';
  for (const b of banks) {
    const li = document.createElement('li');
    li.textContent = b.name + (b.compe ? ' (' + b.compe + ')' : '');
    list.appendChild(li);
  }
}).catch(() => {});

// The query page: a YASQE editor, stored queries with their parameters, a results table, downloads.
const editor = new Yasqe(document.getElementById("editor"), {
  value: "SELECT ?city ?name WHERE {\n  ?city a glo:City ; rdfs:label ?name\n}\nORDER BY ?name\nLIMIT 20\n",
  persistenceId: null, showQueryButton: false, resizeable: true, autocompleters: [],
});
let stored = {}; let picked = null;

fetch("/queries").then(r => r.json()).then(list => { list.forEach(q => { stored[q.name] = q; }); });

document.getElementById("stored").addEventListener("change", event => {
  picked = stored[event.target.value] || null;
  document.getElementById("doc").textContent = picked ? picked.description : "";
  const params = document.getElementById("params");
  params.innerHTML = "";
  if (!picked) return;
  editor.setValue(picked.text);
  for (const [name, spec] of Object.entries(picked.params || {})) {
    const label = document.createElement("label");
    label.textContent = `${name} (${spec.type || "string"}): `;
    const input = document.createElement("input");
    input.name = name; input.value = spec.default ?? ""; input.title = spec.description || "";
    label.appendChild(input); params.appendChild(label);
  }
});

function request(accept) {
  // A picked stored query, unedited, runs by name with its parameters; anything else via /sparql.
  if (picked && editor.getValue() === picked.text) {
    const query = new URLSearchParams();
    document.querySelectorAll("#params input").forEach(i => query.set(i.name, i.value));
    return fetch(`/queries/${picked.name}?${query}`, {headers: {Accept: accept}});
  }
  return fetch("/sparql", {method: "POST", body: new URLSearchParams({query: editor.getValue()}),
                           headers: {Accept: accept}});
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = term.value.startsWith(GLOCAL_BASE) ? "/" + term.value.slice(GLOCAL_BASE.length) : term.value;
    a.textContent = term.value.startsWith(GLOCAL_BASE) ? term.value.slice(GLOCAL_BASE.length) : term.value;
    td.appendChild(a);
  } else {
    td.textContent = term.value;
  }
  return td;
}

async function run() {
  const status = document.getElementById("status"), error = document.getElementById("error");
  const results = document.getElementById("results");
  status.textContent = "running…"; error.textContent = ""; results.innerHTML = "";
  const started = performance.now();
  const response = await request("application/sparql-results+json, text/turtle;q=0.9");
  if (!response.ok) { status.textContent = ""; error.textContent = await response.text(); return; }
  document.getElementById("csv").disabled = document.getElementById("json").disabled = false;
  const type = response.headers.get("content-type") || "";
  if (!type.includes("json")) {
    const pre = document.createElement("pre"); pre.textContent = await response.text(); results.appendChild(pre);
    status.textContent = ""; return;
  }
  const data = await response.json();
  const table = document.createElement("table"); table.id = "result-table";
  if ("boolean" in data) {
    table.innerHTML = `<tr><th>answer</th></tr><tr><td>${data.boolean ? "yes" : "no"}</td></tr>`;
  } else {
    const head = document.createElement("tr");
    data.head.vars.forEach(v => { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    table.appendChild(head);
    data.results.bindings.forEach(b => {
      const tr = document.createElement("tr");
      data.head.vars.forEach(v => tr.appendChild(cell(b[v])));
      table.appendChild(tr);
    });
  }
  results.appendChild(table);
  const rows = data.results ? data.results.bindings.length : 1;
  status.textContent = `${rows} row${rows === 1 ? "" : "s"} in ${Math.round(performance.now() - started)} ms`;
}

async function download(accept, extension) {
  const response = await request(accept);
  if (!response.ok) { document.getElementById("error").textContent = await response.text(); return; }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = `${picked ? picked.name : "glocal-query"}.${extension}`;
  document.body.appendChild(link); link.click(); link.remove();
}

document.getElementById("run").addEventListener("click", run);
document.getElementById("csv").addEventListener("click", () => download("text/csv", "csv"));
document.getElementById("json").addEventListener("click", () => download("application/sparql-results+json", "json"));

'use strict';
// One policy: economics against control, charts over time (Chart.js), models with promote/rollback (admins), settings,
// the audit trail and recent decisions with their explanations.
(async () => {
  const { el, num, pct, time, interval, api } = Loops;
  const name = new URLSearchParams(location.search).get('name') || '';
  const path = `/policies/${encodeURIComponent(name)}`;
  const palette = ['#2563eb', '#f97316', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
  const charts = {};
  let me;

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;

  function draw(id, config) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart(document.getElementById(id), config);
  }

  function kpi(label, value, note, field) {
    return el('div', { class: 'kpi' }, el('div', { class: 'label', text: label }),
      el('div', { class: 'value', 'data-field': field, text: value }), note ? el('div', { class: 'note', text: note }) : null);
  }

  function renderReport(report) {
    const t = report.treatment;
    const c = report.control;
    const hasControl = Number(c.decisions) > 0;
    document.getElementById('kpis').replaceChildren(
      kpi('Decisions (policy / control)', `${num(t.decisions, 0)} / ${num(c.decisions, 0)}`, null, 'decisions'),
      kpi('Net value / decision, policy', num(t.netValueMean), `control ${num(c.netValueMean)}`, 'treatment.netValueMean'),
      kpi('Net value uplift / decision', hasControl ? interval(report.netValueUplift) : 'no control group', '95% interval in brackets', 'netValueUplift'),
      kpi('Reward / decision, policy', num(t.rewardMean), `control ${num(c.rewardMean)}`, 'treatment.rewardMean'),
      kpi('Reward uplift / decision', hasControl ? interval(report.rewardUplift) : 'no control group', '95% interval in brackets', 'rewardUplift'),
      kpi('Bonus spend', num(t.spend), `control ${num(c.spend)}`, 'treatment.spend'),
      kpi('Revenue', num(t.revenue), `control ${num(c.revenue)}`, 'treatment.revenue'),
      kpi('Net value', num(t.netValue), `control ${num(c.netValue)}`, 'treatment.netValue'),
      kpi('ROI', pct(report.roi), '(revenue − spend) / spend', 'roi'),
      kpi('Cost saved vs control', num(report.costSaved), 'at control spend per decision', 'costSaved'));
  }

  function line(label, data, color, extra = {}) {
    return { label, data, borderColor: color, backgroundColor: color, pointRadius: 2, borderWidth: 2, tension: 0.2, spanGaps: true, ...extra };
  }

  function renderTimeline(timeline) {
    const seconds = Number(timeline.bucketSeconds);
    const buckets = timeline.buckets;
    const labels = buckets.map((b) => Loops.bucketLabel(b.startUnixMs, seconds));
    document.getElementById('bucket-note').textContent =
      `${buckets.length} buckets of ${seconds >= 3600 ? `${seconds / 3600} h` : seconds >= 60 ? `${seconds / 60} min` : `${seconds} s`} (UTC, by decision time)`;
    const metric = document.getElementById('metric').value;
    const meanOf = (group) => (Number(group.decisions) > 0 ? (metric === 'netValue' ? group.netValueMean : group.rewardMean) : null);
    const metricName = metric === 'netValue' ? 'Net value' : 'Reward';
    document.getElementById('value-title').textContent = `${metricName} per decision: policy vs control`;
    document.getElementById('uplift-title').textContent = `${metricName} uplift per decision with 95% interval`;
    draw('chart-value', {
      type: 'line',
      data: { labels, datasets: [line('policy (treatment)', buckets.map((b) => meanOf(b.treatment)), palette[0]), line('control', buckets.map((b) => meanOf(b.control)), palette[1])] },
      options: { scales: { y: { title: { display: true, text: `${metricName.toLowerCase()} / decision` } } } },
    });
    const uplift = buckets.map((b) => (Number(b.control.decisions) > 0 && Number(b.treatment.decisions) > 0 ? (metric === 'netValue' ? b.netValueUplift : b.rewardUplift) : null));
    draw('chart-uplift', {
      type: 'line',
      data: {
        labels,
        datasets: [
          line('upper 95%', uplift.map((u) => u && u.upper), 'rgba(37,99,235,0.25)', { pointRadius: 0, borderWidth: 1, fill: '+1', backgroundColor: 'rgba(37,99,235,0.12)' }),
          line('lower 95%', uplift.map((u) => u && u.lower), 'rgba(37,99,235,0.25)', { pointRadius: 0, borderWidth: 1 }),
          line('uplift', uplift.map((u) => u && u.estimate), palette[0]),
        ],
      },
      options: { scales: { y: { title: { display: true, text: 'treatment − control' } } } },
    });
    const sum = (b, field) => Number(b.treatment[field]) + Number(b.control[field]);
    draw('chart-money', {
      type: 'bar',
      data: { labels, datasets: [{ label: 'bonus spend', data: buckets.map((b) => sum(b, 'spend')), backgroundColor: palette[1] }, { label: 'revenue', data: buckets.map((b) => sum(b, 'revenue')), backgroundColor: palette[2] }] },
      options: { scales: { y: { title: { display: true, text: 'currency' } } } },
    });
    const actions = [...new Set(buckets.flatMap((b) => Object.keys(b.actionCounts)))].sort();
    draw('chart-actions', {
      type: 'bar',
      data: { labels, datasets: actions.map((a, i) => ({ label: a, data: buckets.map((b) => Number(b.actionCounts[a] || 0)), backgroundColor: palette[i % palette.length] })) },
      options: { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'decisions' } } } },
    });
    renderSegments(timeline);
  }

  function renderSegments(timeline) {
    const select = document.getElementById('segment');
    select.replaceChildren(...timeline.segmentFeatures.map((f) => el('option', { value: f, selected: f === timeline.segmentFeature, text: f })));
    const segments = timeline.segments;
    const actions = [...new Set(segments.flatMap((s) => Object.keys(s.actionCounts)))].sort();
    draw('chart-segments', {
      type: 'bar',
      data: {
        labels: segments.map((s) => `${s.segment} (${num(s.decisions, 0)})`),
        datasets: actions.map((a, i) => ({
          label: a,
          data: segments.map((s) => (100 * Number(s.actionCounts[a] || 0)) / Math.max(1, Number(s.decisions))),
          backgroundColor: palette[i % palette.length],
        })),
      },
      options: {
        indexAxis: 'y',
        scales: { x: { stacked: true, max: 100, title: { display: true, text: '% of the segment\'s decisions' } }, y: { stacked: true } },
      },
    });
  }

  async function loadTimeline() {
    const bucket = document.getElementById('bucket').value;
    const segment = document.getElementById('segment').value || '';
    const timeline = await api(`${path}/timeline?bucketSeconds=${bucket}&segment=${encodeURIComponent(segment)}`);
    renderTimeline(timeline);
    document.getElementById('alerts').replaceChildren(...(timeline.alerts.length ? [el('div', { class: 'card' }, el('h2', { text: 'Alerts' }),
      ...timeline.alerts.map((a) => el('div', {}, el('span', { class: `badge ${a.severity}`, 'data-alert': a.code, text: a.code.replaceAll('_', ' ') }), a.message)))] : []));
  }

  async function modelAction(title, text, action, call) {
    if (!(await Loops.confirmDialog(title, text, action))) return;
    const error = document.getElementById('model-error');
    error.textContent = '';
    try {
      await call();
      await loadPolicy();
    } catch (e) {
      error.textContent = e.message;
    }
  }

  function renderModels(models, policy) {
    const admin = me.role === 'admin';
    const body = document.querySelector('#models tbody');
    body.replaceChildren(...[...models].reverse().map((m) => el('tr', { 'data-version': m.version },
      el('td', { class: 'num', text: `v${m.version}` }),
      el('td', { text: time(m.createdUnixMs) }),
      el('td', { text: m.source }),
      el('td', { class: 'num', text: num(m.eventsLearned, 0) }),
      el('td', {}, m.live ? el('span', { class: 'badge live', text: 'live' })
        : admin ? el('button', {
          type: 'button', class: 'promote', 'data-version': m.version, text: 'Promote…',
          onclick: () => modelAction(`Promote version ${m.version}?`, `Decisions of ${policy.name} will be made by model version ${m.version} instead of ${policy.modelVersion}, on every replica. This is recorded in the audit trail as ${me.name}.`, 'Promote',
            () => api(`${path}/promote`, { method: 'POST', body: JSON.stringify({ version: Number(m.version) }) })),
        }) : null))));
    const rollback = document.getElementById('rollback');
    rollback.hidden = !admin || models.length < 2;
    rollback.onclick = () => modelAction('Roll back?', `The model version that was live before v${policy.modelVersion} becomes live again on every replica. This is recorded in the audit trail as ${me.name}.`, 'Roll back',
      () => api(`${path}/rollback`, { method: 'POST' }));
  }

  function renderSettings(policy) {
    const c = policy.constraints || {};
    const b = c.budget || {};
    const r = policy.retraining || {};
    const rows = [
      ['Algorithm', policy.algorithm || 'epsilon_greedy'],
      ['Exploration (ε)', num(policy.epsilon, 3)],
      ['Reward window', `${num(policy.rewardWindowSeconds || 600, 0)} s`],
      ['Default reward', num(policy.defaultReward)],
      ['Objective', c.objective || 'reward'],
      ['Actions in catalogue', (policy.actions || []).map((a) => `${a.id} (cost ${num(a.cost)})`).join(', ') || 'from each request'],
      ['Control group', Number(c.controlShare) > 0 ? `${pct(c.controlShare)} get ${c.baselineActionId}` : 'none'],
      ['No-bonus action', c.noBonusActionId || '–'],
      ['Budget', Number(b.amount) > 0 ? `${num(b.amount)} per ${num(b.periodSeconds / 3600, 2)} h${b.pacing ? ', paced' : ''}` : 'none'],
      ['Value cap per user', c.valueCap && Number(c.valueCap.maxCost) > 0 ? `${num(c.valueCap.maxCost)} per ${num(c.valueCap.periodSeconds / 3600, 2)} h` : 'none'],
      ['Frequency caps', (c.frequencyCaps || []).map((f) => `${f.actionId}: ${f.maxCount} per ${num(f.windowSeconds / 3600, 2)} h`).join('; ') || 'none'],
      ['Eligibility rules', (c.eligibility || []).map((e) => `${e.id || e.actionId}: ${e.namespace}.${e.name} ${e.operator.replace('RULE_OPERATOR_', '').toLowerCase()} ${e.values.join(', ')}`).join('; ') || 'none'],
      ['Challengers', (r.challengers || []).map((ch) => ch.name).join(', ') || 'none'],
      ['Auto rollback', r.autoRollback ? 'on' : 'off'],
      ['Events learned', num(policy.eventsLearned, 0)],
      ['Model memory', `${num(Number(policy.modelBytes) / 1048576, 2)} MiB`],
    ];
    document.getElementById('settings').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
    document.getElementById('policy-json').textContent = JSON.stringify(policy, null, 2);
  }

  function renderAudit(evaluations) {
    const body = document.querySelector('#audit tbody');
    if (evaluations.length === 0) body.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'muted', text: 'No evaluations, promotions or rollbacks yet.' })));
    else {
      body.replaceChildren(...evaluations.map((e) => el('tr', { 'data-id': e.id },
        el('td', { text: time(e.timeUnixMs) }),
        el('td', { class: 'actor', text: e.actor }),
        el('td', { class: 'what', text: e.decision.replaceAll('_', ' ') }),
        el('td', { class: 'num', text: `v${e.fromVersion} → v${e.toVersion}` }),
        el('td', {}, e.candidates.map((c) => el('div', { text: `${c.name} (${c.estimator}, n=${num(c.n, 0)}): ${num(c.estimate, 3)} [${num(c.lower, 3)}, ${num(c.upper, 3)}]` }))),
        el('td', { text: e.reason }))));
    }
  }

  function renderDecisions(decisions) {
    const body = document.querySelector('#decisions tbody');
    if (decisions.length === 0) body.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'muted', text: 'No decisions on this replica since it started.' })));
    else {
      body.replaceChildren(...decisions.map((d) => el('tr', { 'data-event': d.eventId },
        el('td', { text: time(d.timestampUnixMs) }),
        el('td', { text: d.eventId }),
        el('td', { text: d.userId }),
        el('td', {}, d.chosenActionId, d.control ? el('span', { class: 'badge', text: 'control' }) : null, d.exploratory ? el('span', { class: 'badge', text: 'explored' }) : null),
        el('td', { class: 'num', text: num(d.probability, 3) }),
        el('td', { class: 'num', text: `v${d.modelVersion}` }),
        el('td', {}, el('details', {}, el('summary', { text: d.summary }),
          el('table', {}, el('tr', {}, el('th', { text: 'candidate' }), el('th', { class: 'num', text: 'score' }), el('th', { class: 'num', text: 'probability' })),
            d.candidates.map((c) => el('tr', {}, el('td', { text: c.actionId }), el('td', { class: 'num', text: num(c.score, 3) }), el('td', { class: 'num', text: num(c.probability, 3) })))))))));
    }
  }

  async function loadPolicy() {
    const data = await api(path);
    const policy = data.policy;
    document.title = `${policy.name} · Loops dashboard`;
    document.getElementById('crumb').textContent = policy.name;
    document.getElementById('title').textContent = policy.name;
    document.getElementById('subtitle').textContent = `live model v${policy.modelVersion} · ${policy.algorithm || 'epsilon_greedy'} · ${num(policy.eventsLearned, 0)} events learned`;
    renderReport(data.report);
    renderModels(data.models.models, policy);
    renderSettings(policy);
    renderAudit(data.evaluations.evaluations);
    renderDecisions(data.recent.decisions);
  }

  try {
    me = await Loops.header();
    await loadPolicy();
    await loadTimeline();
    for (const id of ['bucket', 'metric', 'segment']) {
      document.getElementById(id).addEventListener('change', () => loadTimeline().catch((e) => Loops.done(e)));
    }
    Loops.done();
  } catch (error) {
    Loops.done(error);
  }
})();

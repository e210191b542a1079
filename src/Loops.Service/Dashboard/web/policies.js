'use strict';
// The policies list: one row per policy with its live model, traffic, net value against control and alerts.
(async () => {
  const { el, num, pct, interval, api } = Loops;
  try {
    await Loops.header();
    const { policies } = await api('/policies');
    const body = document.querySelector('#policies tbody');
    if (policies.length === 0) {
      body.append(el('tr', {}, el('td', { colspan: 9, class: 'muted', text: 'No policies yet: create one with PolicyAdmin.UpsertPolicy.' })));
    }
    for (const { policy, report, timeline } of policies) {
      const uplift = report.netValueUplift || {};
      const hasControl = Number(report.control.decisions) > 0;
      const upliftClass = !hasControl ? 'muted' : uplift.lower > 0 ? 'pos' : uplift.upper < 0 ? 'neg' : '';
      body.append(el('tr', { 'data-policy': policy.name },
        el('td', {}, el('a', { href: `/dashboard/policy?name=${encodeURIComponent(policy.name)}`, text: policy.name })),
        el('td', { text: policy.algorithm || 'epsilon_greedy' }),
        el('td', { class: 'num', 'data-field': 'modelVersion', text: `v${policy.modelVersion}` }),
        el('td', { class: 'num', 'data-field': 'decisionsLastHour', text: num(timeline.decisionsLastHour, 0) }),
        el('td', { class: 'num', 'data-field': 'decisions', text: num(Number(report.treatment.decisions) + Number(report.control.decisions), 0) }),
        el('td', { class: 'num', 'data-field': 'netValueMean', text: num(report.treatment.netValueMean) }),
        el('td', { class: `num ${upliftClass}`, 'data-field': 'netValueUplift', text: hasControl ? interval(uplift) : 'no control group' }),
        el('td', { class: 'num', 'data-field': 'roi', text: pct(report.roi) }),
        el('td', {}, Loops.alertBadges(timeline.alerts))));
    }
    Loops.done();
  } catch (error) {
    Loops.done(error);
  }
})();

import {
  allHandlersFinished,
  condition,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities/index.js';
import type { EvaluatedLine, PostResult } from '../db/queries/counting.js';
import {
  canonicalQuantities,
  countInputErrors,
  type CountLineResult,
  type CountView,
  type CycleCountWorkflowInput,
  decideCount,
  type DecideCountInput,
  getCountView,
  lineResult,
  OPEN_COUNT_STATUSES,
  reassignCount,
  startCount,
  submitCount,
} from './cycle-count-messages.js';
import { cycleCountWorkflowId } from './ids.js';
import { LIVENESS } from './activity-options.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: LIVENESS,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** After the due day ends, a reminder a day, at most this many; the managers hear after ESCALATE_AFTER. */
export const REMINDER_INTERVAL_MS = 24 * 60 * 60 * 1000;
export const MAX_REMINDERS = 5;
export const ESCALATE_AFTER = 3;

const SLACK_USER = /^[UW][A-Z0-9]+$/;

/**
 * One count document from assignment to its last adjustment (workflow ID cycleCountWorkflowId(number)).
 *
 * assigned → counter opens the modal (startCount: snapshot) → submitCount (validated: nothing recorded on
 * a bad field) → each line: matched, posted within tolerance (ledger adjust), or above tolerance. On a
 * first count those go to a recount document (its own workflow, a child that outlives this one); on a
 * recount they wait for an inventory manager's decideCount. Reminders after the due day; reassignCount
 * hands it to someone else at any time before submission.
 */
export async function cycleCountWorkflow(input: CycleCountWorkflowInput): Promise<CountView> {
  // Handlers are set before the first await, so no Update arriving early is turned away; until the
  // document is loaded the validators refuse politely (a person cannot click that fast in practice).
  let view: CountView = {
    number: input.number,
    status: 'planned',
    counter: null,
    dueOn: '',
    locationGroup: '',
    recountOf: null,
    lines: [],
    remindersSent: 0,
  };
  let loaded = false;
  let managers: string[] = [];
  let submitting = false;
  let evaluation: EvaluatedLine[] | undefined;
  let decision: DecideCountInput | undefined;
  let escalated = false;

  const open = () => {
    if (!loaded) throw new Error(`Count ${input.number} is still being prepared; try again in a moment.`);
    return OPEN_COUNT_STATUSES.includes(view.status) && !submitting;
  };

  setHandler(getCountView, () => view);

  setHandler(
    startCount,
    async () => {
      await acts.startCountSnapshot({ number: view.number });
      if (open()) view.status = 'counting';
      return view;
    },
    {
      validator: ({ by }) => {
        if (!open()) throw new Error(`Count ${view.number} is ${view.status.replace('_', ' ')}: there is nothing to count.`);
        if (by !== view.counter) throw new Error(`Count ${view.number} is assigned to someone else.`);
      },
    },
  );

  setHandler(
    submitCount,
    async ({ by, quantities }) => {
      submitting = true;
      evaluation = await acts.recordCountSubmission({ number: view.number, by, quantities: canonicalQuantities(view.lines, quantities) });
      view.status = 'submitted';
      return view;
    },
    {
      validator: ({ by, quantities }) => {
        if (!open()) throw new Error(`Count ${view.number} is ${view.status.replace('_', ' ')}: it can no longer be submitted.`);
        if (by !== view.counter) throw new Error(`Count ${view.number} is assigned to someone else.`);
        const unknown = Object.keys(quantities).filter((id) => !view.lines.some((l) => l.lineId === id));
        if (unknown.length) throw new Error(`Not lines of ${view.number}: ${unknown.join(', ')}`);
        const errors = countInputErrors(view.lines, quantities);
        const first = Object.entries(errors)[0];
        if (first) {
          const line = view.lines.find((l) => l.lineId === first[0])!;
          throw new Error(`${line.sku} at ${line.location}: ${first[1]}`);
        }
      },
    },
  );

  setHandler(
    reassignCount,
    async ({ counter }) => {
      const previous = view.counter;
      view.counter = counter;
      await acts.assignCountCounter({ number: view.number, counter });
      if (view.status === 'planned') view.status = 'assigned';
      await acts.notifyCounter({ ...notice(view), counter, notice: 'reassigned', sequence: view.remindersSent });
      if (previous) await acts.notifyCounterPassedOn({ number: view.number, previous, to: counter });
      return view;
    },
    {
      validator: ({ by, counter }) => {
        if (!open()) throw new Error(`Count ${view.number} is ${view.status.replace('_', ' ')}: it can no longer be reassigned.`);
        if (!SLACK_USER.test(counter)) throw new Error('Choose a person to count.');
        if (counter === view.counter) throw new Error(`<@${counter}> already has this count.`);
        if (by !== view.counter && !managers.includes(by)) {
          throw new Error('Only the counter or an inventory manager can pass a count on.');
        }
      },
    },
  );

  setHandler(
    decideCount,
    async (input) => {
      decision = input;
      return view;
    },
    {
      validator: ({ by, decision: d }) => {
        if (!loaded || view.status !== 'awaiting_approval' || decision) throw new Error(`Count ${view.number} is not waiting for a decision.`);
        if (d !== 'approve' && d !== 'reject') throw new Error('Approve or reject.');
        if (by === view.counter) throw new Error('The counter cannot approve their own count.');
        if (!managers.includes(by)) throw new Error('Only an inventory manager can decide on count adjustments.');
      },
    },
  );

  const document = await acts.loadCountDocument({ number: input.number });
  view = document.view;
  managers = document.managers;
  const overdueAt = Date.parse(document.overdueAt);
  loaded = true;

  // Assignment: a document planned without a counter (nobody has the warehouse role) waits for
  // reassignCount, and the inventory managers are told so.
  if (view.counter) {
    await acts.assignCountCounter({ number: view.number, counter: view.counter });
    if (view.status === 'planned') view.status = 'assigned';
    await acts.notifyCounter({ ...notice(view), counter: view.counter, notice: view.recountOf ? 'recount' : 'assigned' });
  } else {
    await acts.notifyCountManagers({ number: view.number, kind: 'unassigned', counter: null, dueOn: view.dueOn, reminders: 0 });
  }

  // Counting, with reminders once the due day is over.
  while (!submitting) {
    const nextReminder = overdueAt + view.remindersSent * REMINDER_INTERVAL_MS;
    const wait = nextReminder - Date.now();
    if (view.remindersSent >= MAX_REMINDERS || !view.counter) {
      await condition(() => submitting || (view.counter !== null && view.remindersSent < MAX_REMINDERS));
      continue;
    }
    if (wait > 0 && (await condition(() => submitting, wait))) break;
    if (submitting) break;
    // One reminder however late we are (a worker that was down does not send a burst).
    const elapsed = Math.floor((Date.now() - overdueAt) / REMINDER_INTERVAL_MS) + 1;
    view.remindersSent = Math.min(MAX_REMINDERS, Math.max(view.remindersSent + 1, elapsed));
    await acts.notifyCounter({ ...notice(view), counter: view.counter, notice: 'reminder', sequence: view.remindersSent });
    if (view.remindersSent >= ESCALATE_AFTER && !escalated) {
      escalated = true;
      await acts.notifyCountManagers({ number: view.number, kind: 'escalation', counter: view.counter, dueOn: view.dueOn, reminders: view.remindersSent });
    }
  }
  await condition(() => evaluation !== undefined);

  // Settling each line.
  const results: CountLineResult[] = [];
  const post = async (line: EvaluatedLine): Promise<CountLineResult> => {
    const posted: PostResult = await acts.postCountAdjustment({ number: view.number, lineId: line.lineId, actor: view.counter ?? 'cycle-count' });
    return lineResult(line, posted.ok ? 'adjusted' : 'failed', posted);
  };
  for (const line of evaluation!) {
    if (line.action === 'none') results.push(lineResult(line, 'matched'));
    else if (line.action === 'post') results.push(await post(line));
    else results.push(lineResult(line, line.action === 'recount' ? 'recount' : 'awaiting_approval'));
  }
  view.results = results;

  if (results.some((r) => r.outcome === 'recount')) {
    const recount = await acts.createRecountDocument({ number: view.number, at: new Date().toISOString() });
    view.recountNumber = recount.number;
    try {
      await startChild(cycleCountWorkflow, {
        workflowId: cycleCountWorkflowId(recount.number),
        args: [{ number: recount.number }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    view.status = 'recount_requested';
  } else if (results.some((r) => r.outcome === 'awaiting_approval')) {
    ({ managers } = await acts.requestCountApproval({ number: view.number, counter: view.counter, recountOf: view.recountOf, results }));
    view.status = 'awaiting_approval';
    await acts.setCountDocumentStatus({ number: view.number, status: 'awaiting_approval' });
    await condition(() => decision !== undefined);
    const approved = decision!.decision === 'approve';
    view.approver = decision!.by;
    await acts.recordCountDecision({ number: view.number, decision: approved ? 'approved' : 'rejected', approver: decision!.by, note: decision!.note });
    for (let i = 0; i < results.length; i++) {
      if (results[i]!.outcome !== 'awaiting_approval') continue;
      const line = evaluation!.find((l) => l.lineId === results[i]!.lineId)!;
      results[i] = approved ? await post(line) : lineResult(line, 'rejected');
    }
    view.status = approved ? 'approved' : 'rejected';
  } else {
    view.status = 'posted';
  }
  await acts.setCountDocumentStatus({ number: view.number, status: view.status });

  const failures = results.filter((r) => r.outcome === 'failed');
  if (failures.length) {
    log.warn('ledger refused count adjustments', { number: view.number, failures: failures.length });
    await acts.notifyCountManagers({ number: view.number, kind: 'adjustment_failed', counter: view.counter, dueOn: view.dueOn, reminders: view.remindersSent, failures });
  }
  if (view.counter) await acts.sendCountResult({ number: view.number, counter: view.counter, results, recountNumber: view.recountNumber });
  await condition(allHandlersFinished);
  return view;
}

const notice = (view: CountView) => ({
  number: view.number,
  dueOn: view.dueOn,
  locationGroup: view.locationGroup,
  lineCount: view.lines.length,
});

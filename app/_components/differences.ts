/**
 * "Next difference" / "previous difference": moves focus between the elements of a diff marked
 * `data-difference` (the first row of each change), scrolling each into view. The position is
 * kept on the container, so it survives re-renders and starts over for a new diff.
 */
export function moveToDifference(container: HTMLElement | null, step: 1 | -1): void {
  if (!container) return;
  const marks = [...container.querySelectorAll<HTMLElement>('[data-difference]')];
  if (marks.length === 0) return;
  const current = marks.findIndex((mark) => mark.dataset.current === 'true');
  const next = current === -1 ? (step === 1 ? 0 : marks.length - 1) : (current + step + marks.length) % marks.length;
  for (const mark of marks) delete mark.dataset.current;
  const target = marks[next]!;
  target.dataset.current = 'true';
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: 'center' });
  container.dataset.differencePosition = `${next + 1} of ${marks.length}`;
}

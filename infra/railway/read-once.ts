/**
 * A read kept for the life of the provider process, by key: the first caller starts it, every
 * later caller with the key gets the same answer. For reads whose answer cannot change while a
 * stack runs (a project's services before this stack creates its own, the deployments a commit
 * started, the volume copies a fork was made with), so that one read serves every resource that
 * needs it whatever the order and timing of their operations. A failed read is not kept: the
 * next caller reads again.
 */
export function readOnce<T>(
  cache: Map<string, Promise<T>>,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  let answer = cache.get(key);
  if (!answer) {
    answer = read();
    cache.set(key, answer);
    answer.catch(() => cache.delete(key));
  }
  return answer;
}

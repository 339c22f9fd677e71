/** Finding a friend by what a person typed: my remark or their name, whole, ignoring case and accents. */
import type { FriendEntry } from '../../../shared/schema.js';
import type { Remarks } from './display-names.js';

const collator = new Intl.Collator(undefined, { sensitivity: 'base' });

/** The one friend whose remark (first) or name matches; undefined when none or several do. */
export function findFriend(friends: readonly FriendEntry[], remarks: Remarks, typed: string): FriendEntry | undefined {
  const wanted = typed.trim();
  if (!wanted) return undefined;
  const same = (a: string | undefined) => a !== undefined && collator.compare(a.trim(), wanted) === 0;
  const byRemark = friends.filter((f) => same(remarks.get(f.id)));
  if (byRemark.length === 1) return byRemark[0];
  if (byRemark.length > 1) return undefined;
  const byName = friends.filter((f) => same(f.name));
  return byName.length === 1 ? byName[0] : undefined;
}

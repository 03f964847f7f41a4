// The table of people that My organisation and the municipality's administrator share
// (docs/portal.md "Screens", "The municipality's administrator"): name, e-mail and roles per
// person, an actions cell the screen fills, and an action's result in a row of its own under
// the person it concerns, so that it is read where the action was.

import type { ComponentChildren, VNode } from 'preact';
import { Table, TableBody, TableCell, TableHead, TableRow } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import type { Person } from './organisation-model.js';

export function PeopleTable({
  caption,
  people,
  actions,
  result,
}: {
  caption: string;
  people: readonly Person[];
  /** The content of a person's actions cell. */
  actions: (p: Person) => ComponentChildren;
  /** An action's result for this person, shown under the row; null: none. */
  result: (p: Person) => VNode | null;
}) {
  const { t } = useI18n();
  // A card's title (the name) and its actions go unnamed, as in the other stacked tables.
  const email = t('org.email');
  const roles = t('org.roles');
  return (
    <div class="sluis-people">
      <Table stacked caption={caption}>
        <TableHead columns={[t('place.name'), email, roles, t('common.actions')]} />
        <TableBody>
          {people.map((p) => {
            const shown = result(p);
            return [
              <TableRow key={p.id}>
                <TableCell>{p.displayName}</TableCell>
                <TableCell label={email}>{p.email ?? t('org.none')}</TableCell>
                <TableCell label={roles}>
                  {p.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')}
                </TableCell>
                <TableCell>{actions(p)}</TableCell>
              </TableRow>,
              shown === null ? null : (
                <TableRow class="sluis-people__notice" key={`${p.id}-notice`}>
                  <TableCell colSpan={4}>{shown}</TableCell>
                </TableRow>
              ),
            ];
          })}
        </TableBody>
      </Table>
    </div>
  );
}

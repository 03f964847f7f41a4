// The table of people that My organisation and the municipality's administrator share
// (docs/portal.md "Screens", "The municipality's administrator"): name, e-mail and roles per
// person, an actions cell the screen fills, and an action's result in a row of its own under
// the person it concerns, so that it is read where the action was.

import type { ComponentChildren, VNode } from 'preact';
import { Table } from '../components/ui.js';
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
  return (
    <div class="sluis-people">
      <Table caption={caption}>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell" scope="col">
              {t('place.name')}
            </th>
            <th class="utrecht-table__header-cell" scope="col">
              {t('org.email')}
            </th>
            <th class="utrecht-table__header-cell" scope="col">
              {t('org.roles')}
            </th>
            <th class="utrecht-table__header-cell" scope="col">
              {t('common.actions')}
            </th>
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          {people.map((p) => {
            const shown = result(p);
            return [
              <tr class="utrecht-table__row" key={p.id}>
                <td class="utrecht-table__cell">{p.displayName}</td>
                <td class="utrecht-table__cell sluis-people__email">{p.email ?? t('org.none')}</td>
                <td class="utrecht-table__cell">
                  {p.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')}
                </td>
                <td class="utrecht-table__cell">{actions(p)}</td>
              </tr>,
              shown === null ? null : (
                <tr class="utrecht-table__row sluis-people__notice" key={`${p.id}-notice`}>
                  <td class="utrecht-table__cell" colSpan={4}>
                    {shown}
                  </td>
                </tr>
              ),
            ];
          })}
        </tbody>
      </Table>
    </div>
  );
}

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import './menu.css';

export interface MenuAction {
  label: string;
  onSelect(): void;
  danger?: boolean;
}

/** The "⋯" menu of a list row; its trigger is named after the row ("Actions for Support bot"). */
export function RowMenu({ name, actions }: { name: string; actions: MenuAction[] }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button type="button" className="icon-button row-menu-trigger" aria-label={`Actions for ${name}`}>
          ⋯
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          {actions.map((a) => (
            <DropdownMenu.Item
              key={a.label}
              className={a.danger ? 'menu-item menu-item-danger' : 'menu-item'}
              onSelect={a.onSelect}
            >
              {a.label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

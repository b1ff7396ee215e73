import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { GripVertical } from 'lucide-react';
import type { ReactNode } from 'react';
import { focusRing } from './button.js';

interface SortableListProps<T> {
  items: readonly T[];
  getId: (item: T) => number;
  /** Read to screen readers on the drag handle: "Move Sales rule". */
  itemLabel: (item: T) => string;
  onReorder: (items: T[]) => void;
  /** Analysts (and pending saves) see the order without handles. */
  disabled?: boolean;
  /** One row; `handle` is the drag handle to place in it (null when disabled). */
  renderItem: (item: T, handle: ReactNode, index: number) => ReactNode;
  label: string;
}

function SortableRow({ id, disabled, handleLabel, children }: { id: number; disabled: boolean; handleLabel: string; children: (handle: ReactNode) => ReactNode }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id, disabled });
  const handle = disabled ? null : (
    <button
      type="button"
      ref={setActivatorNodeRef}
      aria-label={handleLabel}
      className={`cursor-grab touch-none rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700 active:cursor-grabbing ${focusRing}`}
      {...attributes}
      {...listeners}
    >
      <GripVertical className="size-4" aria-hidden="true" />
    </button>
  );
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={`relative bg-white ${isDragging ? 'z-10 shadow-lg ring-1 ring-indigo-200' : ''}`}
    >
      {children(handle)}
    </li>
  );
}

/**
 * A vertical list reordered by dragging its handles, or from the keyboard: focus a
 * handle, Space to pick up, arrow keys to move, Space to drop, Escape to cancel.
 */
export function SortableList<T>({ items, getId, itemLabel, onReorder, disabled = false, renderItem, label }: SortableListProps<T>) {
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const ids = items.map(getId);

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = ids.indexOf(Number(active.id));
    const to = ids.indexOf(Number(over.id));
    if (from < 0 || to < 0) return;
    onReorder(arrayMove([...items], from, to));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ screenReaderInstructions: { draggable: 'Press Space to pick this item up, the arrow keys to move it, Space again to drop it, or Escape to cancel.' } }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy} disabled={disabled}>
        <ul aria-label={label} className="divide-y divide-slate-100">
          {items.map((item, index) => (
            <SortableRow key={getId(item)} id={getId(item)} disabled={disabled} handleLabel={`Move ${itemLabel(item)}`}>
              {(handle) => renderItem(item, handle, index)}
            </SortableRow>
          ))}
        </ul>
      </SortableContext>
    </DndContext>
  );
}

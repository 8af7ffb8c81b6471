/**
 * The width of a chart's frame, followed as the layout changes (ResizeObserver), so the pure SVG
 * chart functions can draw at the size they are shown. 720 until the frame is measured.
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

export function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(720);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.floor(element.clientWidth) || 720);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

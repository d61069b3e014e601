import { useCallback, useEffect, useState } from 'react';

export type PositionState =
  | { status: 'idle' | 'locating' | 'unsupported' }
  | { status: 'located'; lon: number; lat: number; accuracy: number }
  | { status: 'denied' }
  | { status: 'unavailable'; message: string };

/**
 * The phone's position (WGS-84, as the server's grid locator expects), asked for once on mount and again
 * on `locate()`. A refusal is kept apart from other failures: only the user can undo it, in the settings.
 */
export function usePosition(): [PositionState, () => void] {
  const [state, setState] = useState<PositionState>({ status: 'idle' });
  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) {
      setState({ status: 'unsupported' });
      return;
    }
    setState({ status: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (position) =>
        setState({
          status: 'located',
          lon: Number(position.coords.longitude.toFixed(6)),
          lat: Number(position.coords.latitude.toFixed(6)),
          accuracy: Math.round(position.coords.accuracy),
        }),
      (error) =>
        setState(
          error.code === error.PERMISSION_DENIED
            ? { status: 'denied' }
            : { status: 'unavailable', message: error.message },
        ),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }, []);
  useEffect(locate, [locate]);
  return [state, locate];
}

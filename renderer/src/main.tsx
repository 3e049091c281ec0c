import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Provider } from 'react-redux'
import { App } from './App'
import { SessionGate } from './session/SessionGate'
import { store } from './store'
import './styles.css'

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Provider store={store}>
      <SessionGate>
        <App />
      </SessionGate>
    </Provider>
  </StrictMode>,
)
